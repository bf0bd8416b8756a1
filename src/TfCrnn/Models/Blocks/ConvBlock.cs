using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models.Blocks;

/// <summary>What a block returns: its feature map and, for excited blocks, the channel scales.</summary>
/// <param name="Features">(batch, C, L / 3).</param>
/// <param name="Scales">(batch, C) sigmoid excitation scales; null for Basic blocks.</param>
public readonly record struct BlockOutput(Tensor Features, Tensor? Scales);

/// <summary>
/// One convolutional block (docs/reference-implementation.md, "Blocks"): (batch, Cin, L) → (batch, C, floor(L / 3)).
/// Every block accepts the GRU state h(t-1); only the temporal-feedback blocks use it.
/// </summary>
public abstract class ConvBlock : nn.Module
{
    protected ConvBlock(string name) : base(name) { }

    /// <param name="input">(batch, Cin, L).</param>
    /// <param name="previousHidden">(batch, hidden): h(t-1) for recurrent models, null for the CNN.</param>
    public abstract BlockOutput forward(Tensor input, Tensor? previousHidden);

    /// <summary>The squeeze: the mean over time of every channel, (batch, C, L) → (batch, C).</summary>
    protected static Tensor Squeeze(Tensor features) => features.mean([-1]);

    /// <summary>The temporal-feedback excitation input: statistics first, then h(t-1), (batch, C + hidden).</summary>
    protected static Tensor SqueezeWithFeedback(Tensor features, Tensor? previousHidden) =>
        cat([Squeeze(features), RequireHidden(previousHidden)], 1);

    protected static Tensor RequireHidden(Tensor? previousHidden) =>
        previousHidden ?? throw new InvalidOperationException("temporal-feedback blocks need the previous GRU state");

    /// <summary>Scales every channel of <paramref name="features"/> by <paramref name="scales"/> (batch, C).</summary>
    protected static BlockOutput Excite(Tensor features, Tensor scales) => new(features * scales.unsqueeze(-1), scales);

    /// <summary>The excitation bottleneck width: C / reduction, at least 1.</summary>
    public static int Bottleneck(int channels, int reduction) => Math.Max(1, channels / reduction);
}
