using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm1d = TfCrnn.Models.Layers.BatchNorm1d;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>
/// The stem (<c>init_block</c>): ReLU(BN(conv(x))) with kernel 3, stride 3, padding 1 and no pool,
/// (batch, 1, L) → (batch, width, floor((L − 1) / 3) + 1).
/// </summary>
internal sealed class StemBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv0;
    private readonly BatchNorm1d norm0;

    public StemBlock(int width) : base(nameof(StemBlock))
    {
        conv0 = nn.Conv1d(1, width, kernel_size: ModelArchitecture.Kernel, stride: ModelArchitecture.Kernel, padding: 1);
        norm0 = new BatchNorm1d(width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved = conv0.forward(input);
        var normalized = norm0.forward(convolved);
        normalized.relu_(); // in place: BN's backward needs its input, not its output
        return normalized;
    }

    /// <summary>The stem with its BatchNorm folded in, in <paramref name="dtype"/>.</summary>
    internal InferenceStem ForInference(ScalarType dtype) => new(conv0, norm0, dtype);
}
