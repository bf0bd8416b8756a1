using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm1d = TfCrnn.Models.Layers.BatchNorm1d;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>
/// The residual branch of Res-SE: BN(conv3(dropout(ReLU(BN(conv3(x)))))), (batch, Cin, L) → (batch, C, L).
/// </summary>
internal sealed class ResidualBranch : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv0;
    private readonly BatchNorm1d norm0;
    private readonly ParallelDropout dropout;
    private readonly Conv1d conv1;
    private readonly BatchNorm1d norm1;

    public ResidualBranch(int inChannels, int channels, double dropoutRate) : base(nameof(ResidualBranch))
    {
        conv0 = nn.Conv1d(inChannels, channels, kernel_size: 3, padding: 1);
        norm0 = new BatchNorm1d(channels);
        dropout = new ParallelDropout(dropoutRate);
        conv1 = nn.Conv1d(channels, channels, kernel_size: 3, padding: 1);
        norm1 = new BatchNorm1d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved0 = conv0.forward(input);
        using var normalized0 = norm0.forward(convolved0);
        normalized0.relu_(); // in place: BN's backward needs its input, not its output
        using var dropped = dropout.forward(normalized0);
        using var convolved1 = conv1.forward(dropped);
        return norm1.forward(convolved1);
    }

    /// <summary>The residual trunk for inference: this branch and the shortcut with their BatchNorms folded in.</summary>
    internal InferenceTrunk ForInference(ShortcutProjection? shortcut, ScalarType dtype) => new ResidualInferenceTrunk(
        new FoldedConvolution(conv0, norm0, dtype), new FoldedConvolution(conv1, norm1, dtype), shortcut?.ForInference(dtype));
}
