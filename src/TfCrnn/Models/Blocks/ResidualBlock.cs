using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models.Blocks;

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
        // Not `a + b`: TorchSharp's operator passes a temporary alpha Scalar that the GC may finalize while
        // libtorch reads it (seen as "Scalar::toFloat" crashes in long runs); this one lives past the call.
        using var one = 1.ToScalar();
        var sum = residual.forward(input).add(shortcut, one);
        return nn.functional.max_pool1d(nn.functional.relu(sum), kernel_size: 3, stride: 3);
    }
}
