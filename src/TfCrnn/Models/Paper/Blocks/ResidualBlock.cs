using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>
/// Base of the Res-SE and TF-Res-SE blocks: the trunk maxpool3(ReLU(residual(x) + shortcut(x))),
/// (batch, Cin, L) → (batch, C, floor(L / 3)); the subclasses add their excitation after the pool.
/// </summary>
internal abstract class ResidualBlock : ConvBlock
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
        // Not `a + b`: TorchSharp's operator passes a temporary alpha Scalar that the GC may finalize while
        // libtorch reads it (seen as "Scalar::toFloat" crashes in long runs); this one lives past the call.
        using var one = 1.ToScalar();
        // In place: the branch ends in a BN whose output nothing else reads (BN's backward needs its input).
        using var sum = residual.forward(input);
        if (identity is null) sum.add_(input, one);
        else
        {
            using var shortcut = identity.forward(input);
            sum.add_(shortcut, one);
        }
        return PoolThenRelu(sum);
    }

    /// <summary>The trunk with every BatchNorm folded in, in <paramref name="dtype"/>.</summary>
    private protected InferenceTrunk TrunkForInference(ScalarType dtype) => residual.ForInference(identity, dtype);
}
