using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm1d = TfCrnn.Models.Layers.BatchNorm1d;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>
/// Basic block: maxpool3(ReLU(BN(conv3(x)))), (batch, Cin, L) → (batch, C, floor(L / 3)).
/// Also the trunk (<c>base_block</c>) of the SE, TF-Basic and TF-SE blocks.
/// </summary>
internal sealed class BasicBlock : ConvBlock
{
    private readonly Conv1d conv;
    private readonly BatchNorm1d norm;

    public BasicBlock(int inChannels, int channels) : base(nameof(BasicBlock))
    {
        conv = nn.Conv1d(inChannels, channels, kernel_size: 3, padding: 1);
        norm = new BatchNorm1d(channels);
        RegisterComponents();
    }

    public Tensor Trunk(Tensor input)
    {
        using var convolved = conv.forward(input);
        using var normalized = norm.forward(convolved);
        return PoolThenRelu(normalized);
    }

    public override BlockOutput forward(Tensor input, Tensor? previousHidden) => new(Trunk(input), null);

    internal InferenceTrunk TrunkForInference(ScalarType dtype) => new BasicInferenceTrunk(new FoldedConvolution(conv, norm, dtype));

    internal override InferenceBlock ForInference(ScalarType dtype) => new(TrunkForInference(dtype), null);
}
