using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.Blocks;

/// <summary>
/// The residual branch of Res-SE: BN(conv3(dropout(ReLU(BN(conv3(x)))))), (batch, Cin, L) → (batch, C, L).
/// </summary>
public sealed class ResidualBranch : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv0;
    private readonly BatchNorm1d norm0;
    private readonly Dropout dropout;
    private readonly Conv1d conv1;
    private readonly BatchNorm1d norm1;

    public ResidualBranch(int inChannels, int channels, double dropoutRate) : base(nameof(ResidualBranch))
    {
        conv0 = nn.Conv1d(inChannels, channels, kernel_size: 3, padding: 1);
        norm0 = nn.BatchNorm1d(channels);
        dropout = nn.Dropout(dropoutRate);
        conv1 = nn.Conv1d(channels, channels, kernel_size: 3, padding: 1);
        norm1 = nn.BatchNorm1d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        norm1.forward(conv1.forward(dropout.forward(nn.functional.relu(norm0.forward(conv0.forward(input))))));
}

/// <summary>The shortcut where channels change: BN(conv1x1(x)), (batch, Cin, L) → (batch, C, L).</summary>
public sealed class ShortcutProjection : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d conv;
    private readonly BatchNorm1d norm;

    public ShortcutProjection(int inChannels, int channels) : base(nameof(ShortcutProjection))
    {
        conv = nn.Conv1d(inChannels, channels, kernel_size: 1);
        norm = nn.BatchNorm1d(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => norm.forward(conv.forward(input));
}

/// <summary>
/// Base of the Res-SE and TF-Res-SE blocks: the trunk maxpool3(ReLU(residual(x) + shortcut(x))),
/// (batch, Cin, L) → (batch, C, floor(L / 3)); the subclasses add their excitation after the pool.
/// </summary>
public abstract class ResidualBlock : ConvBlock
{
    protected readonly ResidualBranch residual;
    protected readonly ShortcutProjection? identity;

    protected ResidualBlock(string name, int inChannels, int channels, double dropoutRate) : base(name)
    {
        residual = new ResidualBranch(inChannels, channels, dropoutRate);
        identity = inChannels == channels ? null : new ShortcutProjection(inChannels, channels);
    }

    protected Tensor Trunk(Tensor input)
    {
        var shortcut = identity?.forward(input) ?? input;
        return nn.functional.max_pool1d(nn.functional.relu(residual.forward(input) + shortcut), kernel_size: 3, stride: 3);
    }
}
