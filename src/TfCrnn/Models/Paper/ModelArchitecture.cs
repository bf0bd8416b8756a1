namespace TfCrnn.Models.Paper;

/// <summary>
/// The shapes the paper's models (Section III; docs/reference-implementation.md, "Models") take for a
/// <see cref="ModelConfig"/>: block count, channels, feature-map lengths, and the multiply-accumulates they cost. The
/// module constructors and <c>tfcrnn info</c> both read them from here.
/// </summary>
internal static class ModelArchitecture
{
    /// <summary>Kernel of every block convolution and of the stem; also the stem stride and the pool size.</summary>
    public const int Kernel = 3;

    /// <summary>Samples the convolutional trunk sees per step: the whole clip (CNN) or one window.</summary>
    public static int TrunkInputSamples(ModelConfig config) => config.IsRecurrent ? config.Window : config.ClipSamples;

    /// <summary>
    /// Blocks of the trunk, as the authors' code derives them (the paper, Section III-C, lets the block count follow the
    /// window): int(log3(window)) − 1 for the recurrent models (6 for 3,200 samples), int(round(log3(16000), 5)) − 1 = 7
    /// for the CNN. log3 is computed the way their Python's <c>math.log(x, 3)</c> computes it, log(x) / log(3) in double
    /// precision, and then truncated: at exactly 3^5 = 243 samples that quotient is 4.999999999999999, so a 243-sample
    /// window gets 3 blocks where an exact logarithm would give 4 (the only such window up to 16,000 samples).
    /// </summary>
    public static int BlockCount(ModelConfig config) => config.IsRecurrent
        ? (int)Log3(config.Window) - 1
        : (int)Math.Round(Log3(config.ClipSamples), 5, MidpointRounding.ToEven) - 1;

    /// <summary>
    /// Output channels of every block: each block keeps its input channels except block 2 and the last, which double
    /// them (128, 128, 256, 256, 256, 512 for six blocks at width 128). A 3-block trunk has 128, 256, 512 whatever the
    /// width, as the authors' code fixes it.
    /// </summary>
    public static IReadOnlyList<int> BlockChannels(ModelConfig config)
    {
        var count = BlockCount(config);
        if (count == ThreeBlockChannels.Length) return ThreeBlockChannels;
        var channels = new int[count];
        var current = config.Width;
        for (var i = 0; i < count; i++)
        {
            if (i == 2 || i == count - 1) current *= 2;
            channels[i] = current;
        }
        return channels;
    }

    private static readonly int[] ThreeBlockChannels = [128, 256, 512];

    private static double Log3(int samples) => Math.Log(samples) / Math.Log(3);

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
    /// Forward multiply-accumulates per clip of <see cref="ModelConfig.ClipSamples"/>: <see cref="ModelConfig.Steps"/>
    /// times <see cref="MacsPerStep"/>.
    /// </summary>
    public static long Macs(ModelConfig config) => config.Steps * MacsPerStep(config);

    /// <summary>
    /// Forward multiply-accumulates of one step (of the whole clip for the CNN): convolutions, excitation and
    /// classifier layers and the GRU cell, counted from the layer shapes (BatchNorm, pools and activations are not
    /// counted).
    /// </summary>
    public static long MacsPerStep(ModelConfig config)
    {
        var channels = BlockChannels(config);
        var lengths = FeatureLengths(config);
        long trunk = (long)config.Width * Kernel * lengths[0];
        var inChannels = config.Width;
        for (var i = 0; i < channels.Count; i++)
        {
            long c = channels[i], length = lengths[i];
            trunk += PaperModel.Of(config).Block == BlockKind.ResidualSqueezeExcitation
                ? c * inChannels * Kernel * length + c * c * Kernel * length + (inChannels == c ? 0 : c * inChannels * length)
                : c * inChannels * Kernel * length;
            trunk += ExcitationMacs(config, (int)c);
            inChannels = (int)c;
        }

        var features = FeatureChannels(config);
        if (!config.IsRecurrent)
            return trunk + (long)features * config.Classes;
        long hidden = config.HiddenSize;
        return trunk + 3 * hidden * (features + hidden) + hidden * config.Classes;
    }

    /// <summary>MACs of a block's excitation MLP: inputs × bottleneck + bottleneck × C (none for Basic blocks).</summary>
    private static long ExcitationMacs(ModelConfig config, int channels)
    {
        var model = PaperModel.Of(config);
        long inputs = (model.Family, model.Block) switch
        {
            (ModelFamily.TfCrnn, BlockKind.Basic) => config.HiddenSize,
            (ModelFamily.TfCrnn, _) => channels + config.HiddenSize,
            (_, BlockKind.Basic) => 0,
            _ => channels,
        };
        return inputs == 0 ? 0 : (inputs + channels) * Blocks.ConvBlock.Bottleneck(channels, config.ExcitationReduction);
    }
}
