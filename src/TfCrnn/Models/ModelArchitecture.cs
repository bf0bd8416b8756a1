namespace TfCrnn.Models;

/// <summary>
/// The shapes that docs/reference-implementation.md ("Models") derives from a <see cref="ModelConfig"/>: block count, channels,
/// feature-map lengths, and the multiply-accumulates they cost. The module constructors and
/// <c>tfcrnn info</c> both read them from here.
/// </summary>
public static class ModelArchitecture
{
    /// <summary>Kernel of every block convolution and of the stem; also the stem stride and the pool size.</summary>
    public const int Kernel = 3;

    /// <summary>Samples the convolutional trunk sees per step: the whole clip (CNN) or one window.</summary>
    public static int TrunkInputSamples(ModelConfig config) => config.IsRecurrent ? config.Window : config.ClipSamples;

    /// <summary>floor(log3(samples)) − 1 blocks: 7 for the 16,000-sample CNN, 6 for a 3,200-sample window.</summary>
    public static int BlockCount(ModelConfig config)
    {
        var samples = TrunkInputSamples(config);
        var log3 = 0;
        for (long power = Kernel; power <= samples; power *= Kernel) log3++;
        return Math.Max(1, log3 - 1);
    }

    /// <summary>Output channels of every block: the width, doubled from block 2 on and again at the last block.</summary>
    public static IReadOnlyList<int> BlockChannels(ModelConfig config)
    {
        var count = BlockCount(config);
        return [.. Enumerable.Range(0, count).Select(i => config.Width * (i >= 2 ? 2 : 1) * (i == count - 1 ? 2 : 1))];
    }

    /// <summary>Channels of the pooled features that reach the head.</summary>
    public static int FeatureChannels(ModelConfig config) => BlockChannels(config)[^1];

    /// <summary>
    /// Time lengths of the stem output and of every block output: 5334 → 1778, …, 2 for the CNN,
    /// 1067 → 355, …, 1 for a 3,200-sample window.
    /// </summary>
    public static IReadOnlyList<int> FeatureLengths(ModelConfig config)
    {
        // Stem: kernel 3, stride 3, padding 1 → floor((L − 1) / 3) + 1; every block pools by 3, floor.
        var lengths = new List<int> { (TrunkInputSamples(config) - 1) / Kernel + 1 };
        for (var i = 0; i < BlockCount(config); i++) lengths.Add(lengths[^1] / Kernel);
        return lengths;
    }

    /// <summary>
    /// Forward multiply-accumulates per clip of <see cref="ModelConfig.ClipSamples"/>: convolutions, excitation
    /// and classifier layers and the GRU cell, counted from the layer shapes (BatchNorm, pools and activations
    /// are not counted).
    /// </summary>
    public static long Macs(ModelConfig config)
    {
        var channels = BlockChannels(config);
        var lengths = FeatureLengths(config);
        long trunk = (long)config.Width * Kernel * lengths[0];
        var inChannels = config.Width;
        for (var i = 0; i < channels.Count; i++)
        {
            long c = channels[i], length = lengths[i];
            trunk += config.Block == BlockKind.ResidualSqueezeExcitation
                ? c * inChannels * Kernel * length + c * c * Kernel * length + (inChannels == c ? 0 : c * inChannels * length)
                : c * inChannels * Kernel * length;
            trunk += ExcitationMacs(config, (int)c);
            inChannels = (int)c;
        }

        var features = FeatureChannels(config);
        if (!config.IsRecurrent)
            return trunk + (long)features * config.Classes;
        long hidden = config.HiddenSize;
        var head = 3 * hidden * (features + hidden) + hidden * config.Classes;
        return config.Steps * (trunk + head);
    }

    /// <summary>MACs of a block's excitation MLP: inputs × bottleneck + bottleneck × C (none for Basic blocks).</summary>
    private static long ExcitationMacs(ModelConfig config, int channels)
    {
        long inputs = (config.Family, config.Block) switch
        {
            (ModelFamily.TfCrnn, BlockKind.Basic) => config.HiddenSize,
            (ModelFamily.TfCrnn, _) => channels + config.HiddenSize,
            (_, BlockKind.Basic) => 0,
            _ => channels,
        };
        return inputs == 0 ? 0 : (inputs + channels) * Blocks.ConvBlock.Bottleneck(channels, config.ExcitationReduction);
    }
}
