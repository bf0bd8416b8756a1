using TfCrnn.Models.Layers;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>
/// TF-SE block: y = Basic(x); out = y · excitation(concat(mean_t(y), h(t-1))).
/// (batch, Cin, L) → (batch, C, floor(L / 3)).
/// </summary>
internal sealed class TemporalFeedbackSqueezeExcitationBlock : ConvBlock
{
    [ComponentName(Name = "base_block")] private readonly BasicBlock baseBlock;
    private readonly Excitation excitation;

    public TemporalFeedbackSqueezeExcitationBlock(int inChannels, int channels, int hiddenSize, int reduction)
        : base(nameof(TemporalFeedbackSqueezeExcitationBlock))
    {
        baseBlock = new BasicBlock(inChannels, channels);
        excitation = new Excitation(channels + hiddenSize, Bottleneck(channels, reduction), channels);
        RegisterComponents();
    }

    public override BlockOutput forward(Tensor input, Tensor? previousHidden)
    {
        using var features = baseBlock.Trunk(input);
        using var squeezed = SqueezeWithFeedback(features, previousHidden);
        return Excite(features, excitation.forward(squeezed));
    }

    internal override InferenceBlock ForInference(ScalarType dtype) =>
        new(baseBlock.TrunkForInference(dtype), excitation.ForInference(ExcitationInput.SqueezeAndHidden));
}
