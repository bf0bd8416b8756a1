using TfCrnn.Models.Layers;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>
/// TF-Basic block: y = Basic(x); out = y · excitation(h(t-1)): the scales come from the GRU state only.
/// (batch, Cin, L) → (batch, C, floor(L / 3)).
/// </summary>
internal sealed class TemporalFeedbackBasicBlock : ConvBlock
{
    [ComponentName(Name = "base_block")] private readonly BasicBlock baseBlock;
    private readonly Excitation excitation;

    public TemporalFeedbackBasicBlock(int inChannels, int channels, int hiddenSize, int reduction)
        : base(nameof(TemporalFeedbackBasicBlock))
    {
        baseBlock = new BasicBlock(inChannels, channels);
        excitation = new Excitation(hiddenSize, Bottleneck(channels, reduction), channels);
        RegisterComponents();
    }

    public override BlockOutput forward(Tensor input, Tensor? previousHidden)
    {
        using var features = baseBlock.Trunk(input);
        return Excite(features, excitation.forward(RequireHidden(previousHidden)));
    }

    internal override InferenceBlock ForInference(ScalarType dtype) =>
        new(baseBlock.TrunkForInference(dtype), excitation.ForInference(ExcitationInput.Hidden));
}
