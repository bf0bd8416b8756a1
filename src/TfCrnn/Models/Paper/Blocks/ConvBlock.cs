using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models.Paper.Blocks;

/// <summary>What a block returns: its feature map and, for excited blocks, the channel scales.</summary>
/// <param name="Features">(batch, C, L / 3).</param>
/// <param name="Scales">(batch, C) sigmoid excitation scales; null for Basic blocks.</param>
internal readonly record struct BlockOutput(Tensor Features, Tensor? Scales);

/// <summary>
/// One convolutional block (docs/reference-implementation.md, "Blocks"): (batch, Cin, L) → (batch, C, floor(L / 3)).
/// Every block accepts the GRU state h(t-1); only the temporal-feedback blocks use it.
/// Intermediates are released as soon as they are used (<c>using var</c>): outside autograd that frees their
/// memory at once; in training autograd keeps only what the backward pass needs.
/// </summary>
internal abstract class ConvBlock : nn.Module
{
    protected ConvBlock(string name) : base(name) { }

    /// <param name="input">(batch, Cin, L).</param>
    /// <param name="previousHidden">(batch, hidden): h(t-1) for recurrent models, null for the CNN.</param>
#pragma warning disable IDE1006 // TorchSharp's name for a module's step, as in nn.Module<T, TResult>.forward
    public abstract BlockOutput forward(Tensor input, Tensor? previousHidden);
#pragma warning restore IDE1006

    /// <summary>This block in eval mode with its BatchNorms folded in, its trunk in <paramref name="dtype"/>.</summary>
    internal abstract InferenceBlock ForInference(ScalarType dtype);

    /// <summary>The squeeze: the mean over time of every channel, (batch, C, L) → (batch, C).</summary>
    protected static Tensor Squeeze(Tensor features) => features.mean([-1]);

    /// <summary>The temporal-feedback excitation input: statistics first, then h(t-1), (batch, C + hidden).</summary>
    protected static Tensor SqueezeWithFeedback(Tensor features, Tensor? previousHidden)
    {
        using var squeezed = Squeeze(features);
        return cat([squeezed, RequireHidden(previousHidden)], 1);
    }

    protected static Tensor RequireHidden(Tensor? previousHidden) =>
        previousHidden ?? throw new InvalidOperationException("temporal-feedback blocks need the previous GRU state");

    /// <summary>
    /// maxpool3 then ReLU in place: the same values and gradients as ReLU then maxpool3 (ReLU is monotone and
    /// zero wherever it would block the gradient), with the ReLU on a third of the data. <paramref name="features"/>
    /// must be a fresh result that nothing else reads (a BN output or a sum); it is not modified.
    /// </summary>
    protected static Tensor PoolThenRelu(Tensor features)
    {
        var pooled = nn.functional.max_pool1d(features, kernel_size: ModelArchitecture.Kernel, stride: ModelArchitecture.Kernel);
        pooled.relu_();
        return pooled;
    }

    /// <summary>Scales every channel of <paramref name="features"/> by <paramref name="scales"/> (batch, C).</summary>
    protected static BlockOutput Excite(Tensor features, Tensor scales)
    {
        using var broadcast = scales.unsqueeze(-1);
        return new(features * broadcast, scales);
    }

    /// <summary>The excitation bottleneck width: C / reduction, at least 1.</summary>
    public static int Bottleneck(int channels, int reduction) => Math.Max(1, channels / reduction);
}
