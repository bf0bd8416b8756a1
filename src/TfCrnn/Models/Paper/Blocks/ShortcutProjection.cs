using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm1d = TfCrnn.Models.Layers.BatchNorm1d;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>The shortcut where channels change: BN(conv1x1(x)), (batch, Cin, L) → (batch, C, L).</summary>
internal sealed class ShortcutProjection : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;
    private readonly BatchNorm1d norm;

    public ShortcutProjection(int inChannels, int channels) : base(nameof(ShortcutProjection))
    {
        conv = nn.Conv1d(inChannels, channels, kernel_size: 1);
        norm = new BatchNorm1d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var convolved = conv.forward(input);
        return norm.forward(convolved);
    }

    internal FoldedConvolution ForInference(ScalarType dtype) => new(conv, norm, dtype);
}
