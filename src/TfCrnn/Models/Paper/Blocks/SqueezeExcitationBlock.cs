using TfCrnn.Models.Layers;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>SE block: y = Basic(x); out = y · excitation(mean_t(y)). (batch, Cin, L) → (batch, C, floor(L / 3)).</summary>
internal sealed class SqueezeExcitationBlock : ConvBlock
{
    [ComponentName(Name = "base_block")] private readonly BasicBlock baseBlock;
    private readonly Excitation se;

    public SqueezeExcitationBlock(int inChannels, int channels, int reduction) : base(nameof(SqueezeExcitationBlock))
    {
        baseBlock = new BasicBlock(inChannels, channels);
        se = new Excitation(channels, Bottleneck(channels, reduction), channels);
        RegisterComponents();
    }

    public override BlockOutput forward(Tensor input, Tensor? previousHidden)
    {
        using var features = baseBlock.Trunk(input);
        using var squeezed = Squeeze(features);
        return Excite(features, se.forward(squeezed));
    }

    internal override InferenceBlock ForInference(ScalarType dtype) =>
        new(baseBlock.TrunkForInference(dtype), se.ForInference(ExcitationInput.Squeeze));
}
