using TfCrnn.Models.Layers;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>Res-SE block: z = residual trunk(x); out = z · excitation(mean_t(z)).</summary>
internal sealed class ResidualSqueezeExcitationBlock : ResidualBlock
{
    private readonly Excitation se;

    public ResidualSqueezeExcitationBlock(int inChannels, int channels, int reduction, double dropoutRate)
        : base(nameof(ResidualSqueezeExcitationBlock), inChannels, channels, dropoutRate)
    {
        se = new Excitation(channels, Bottleneck(channels, reduction), channels);
        RegisterComponents();
    }

    public override BlockOutput forward(Tensor input, Tensor? previousHidden)
    {
        using var features = Trunk(input);
        using var squeezed = Squeeze(features);
        return Excite(features, se.forward(squeezed));
    }

    internal override InferenceBlock ForInference(ScalarType dtype) =>
        new(TrunkForInference(dtype), se.ForInference(ExcitationInput.Squeeze));
}
