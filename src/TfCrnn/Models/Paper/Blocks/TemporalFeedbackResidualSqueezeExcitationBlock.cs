using TfCrnn.Models.Layers;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>TF-Res-SE block: z = residual trunk(x); out = z · excitation(concat(mean_t(z), h(t-1))).</summary>
internal sealed class TemporalFeedbackResidualSqueezeExcitationBlock : ResidualBlock
{
    private readonly Excitation excitation;

    public TemporalFeedbackResidualSqueezeExcitationBlock(int inChannels, int channels, int hiddenSize, int reduction,
        double dropoutRate)
        : base(nameof(TemporalFeedbackResidualSqueezeExcitationBlock), inChannels, channels, dropoutRate)
    {
        excitation = new Excitation(channels + hiddenSize, Bottleneck(channels, reduction), channels);
        RegisterComponents();
    }

    public override BlockOutput forward(Tensor input, Tensor? previousHidden)
    {
        using var features = Trunk(input);
        using var squeezed = SqueezeWithFeedback(features, previousHidden);
        return Excite(features, excitation.forward(squeezed));
    }

    internal override InferenceBlock ForInference(ScalarType dtype) =>
        new(TrunkForInference(dtype), excitation.ForInference(ExcitationInput.SqueezeAndHidden));
}
