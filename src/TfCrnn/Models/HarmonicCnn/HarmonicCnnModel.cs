using TfCrnn.Models.FrontEnds;
using TfCrnn.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using BatchNorm1d = TfCrnn.Models.Layers.BatchNorm1d;
using BatchNorm2d = TfCrnn.Models.Layers.BatchNorm2d;

namespace TfCrnn.Models.HarmonicCnn;

/// <summary>
/// HarmonicCNN (<c>harmonic-cnn</c>; Won et al., ICASSP 2020, "Data-driven harmonic filters for audio representation
/// learning"), the keyword-spotting configuration of the authors' code (github.com/minzwon/data-driven-harmonic-filters):
/// <list type="number">
/// <item><c>placement</c>: the one-second clip zero-padded into 80,000 samples, the authors' 5-s <c>input_length</c>
/// (<see cref="ClipPlacement"/>: a random offset in training, drawn from the run's generator
/// (<see cref="SpeechCommandModel.DrawRandomnessFrom"/>), centred in eval). A bare second makes 63 frames,
/// which the seven poolings reduce to nothing;</item>
/// <item><c>front_end</c>: the harmonic filterbank (<see cref="HarmonicFilterbank"/>, FFT 512, hop 256, 6 harmonics of
/// 128 pitches), (batch, 6, 128, 313) decibels; <c>harmonic_norm</c>: BatchNorm over the 6 harmonics;</item>
/// <item><c>blocks.block0</c> … <c>block6</c>: 3×3 convolutions of width, width, width, width, 2·width, 2·width,
/// 2·width channels (<see cref="HarmonicCnnBlock"/>; residual where the channels stay), each max-pooled by 2×2, the
/// last by 2×1: (batch, 2·width, 1, 4);</item>
/// <item>the maximum over what is left of frequency and time, then <c>dense</c> (2·width) with BatchNorm
/// (<c>dense_norm</c>), ReLU and dropout (the authors' 0.5, <see cref="ModelConfig.HeadDropout"/>), then <c>classifier</c>.</item>
/// </list>
/// Input (batch, 1, 16000) scaled by <see cref="Data.Preprocessing.InputScale"/>; logits (1, batch, classes), one step.
/// At the paper's width 128 (<see cref="ModelConfig.Width"/>) with 35 classes: 3,627,696 parameters. Declared by
/// <see cref="HarmonicCnnDeclaration"/>.
/// </summary>
internal sealed class HarmonicCnnModel : SpeechCommandModel
{
    /// <summary>The authors' padded input: 5 s at 16 kHz (<c>input_length</c>).</summary>
    public const int InputSamples = 80_000;

    private readonly ClipPlacement placement;
    [ComponentName(Name = "front_end")] private readonly HarmonicFilterbank frontEnd;
    [ComponentName(Name = "harmonic_norm")] private readonly BatchNorm2d harmonicNorm;
    private readonly ModuleDict<HarmonicCnnBlock> blocks;
    private readonly Linear dense;
    [ComponentName(Name = "dense_norm")] private readonly BatchNorm1d denseNorm;
    private readonly ParallelDropout dropout;
    private readonly Linear classifier;

    /// <param name="config">
    /// A <c>harmonic-cnn</c> configuration: its width is the channels of the first four convolutions (the last three and
    /// the dense layer have twice as many), its head dropout the dropout before the classifier, its labels the classes.
    /// </param>
    public HarmonicCnnModel(ModelConfig config) : base(config)
    {
        var width = config.Width;
        placement = new ClipPlacement(InputSamples);
        frontEnd = new HarmonicFilterbank();
        harmonicNorm = new BatchNorm2d(frontEnd.Harmonics);
        blocks = new ModuleDict<HarmonicCnnBlock>();
        var inChannels = frontEnd.Harmonics;
        foreach (var (channels, pool) in BlockPlan(width))
        {
            blocks.Add($"block{blocks.Count}", new HarmonicCnnBlock(inChannels, channels, pool));
            inChannels = channels;
        }
        dense = nn.Linear(inChannels, inChannels);
        denseNorm = new BatchNorm1d(inChannels);
        dropout = new ParallelDropout(config.HeadDropout);
        classifier = nn.Linear(inChannels, config.Classes);
        RegisterComponents();
    }

    /// <summary>
    /// The seven blocks' output channels (width, width, width, width, 2·width, 2·width, 2·width) and max-pooling over
    /// (frequency, time): 2×2, the last 2×1.
    /// </summary>
    internal static IEnumerable<(int Channels, (int Frequency, int Time) Pool)> BlockPlan(int width)
    {
        int[] channels = [width, width, width, width, 2 * width, 2 * width, 2 * width];
        return channels.Select((c, i) => (c, i == channels.Length - 1 ? (2, 1) : (2, 2)));
    }

    /// <summary>The front end, for tests and the ONNX graph.</summary>
    internal HarmonicFilterbank FrontEnd => frontEnd;

    /// <summary>The seven convolution blocks in order.</summary>
    internal IEnumerable<HarmonicCnnBlock> Blocks => Enumerable.Range(0, blocks.Count).Select(i => blocks[i].Item2);

    /// <param name="waveforms">(batch, 1, samples ≤ 80,000), scaled by <see cref="Data.Preprocessing.InputScale"/>.</param>
    /// <param name="extras">None apply: the output has logits only.</param>
    /// <returns>Logits (1, batch, classes).</returns>
    public override ModelOutput Forward(Tensor waveforms, ForwardExtras extras)
    {
        using var placed = placement.forward(waveforms);
        using var decibels = frontEnd.forward(placed);
        using var harmonics = harmonicNorm.forward(decibels);
        // Channels-last from here on (every block keeps the layout): libtorch's channels-first float32 3×3 kernels gave
        // wrong outputs and input gradients at widths 8 and 24 on an AVX-512 CPU without oneDNN's AVX2 cap, which eval,
        // predict and streaming run without; the channels-last ones are exact with and without it (ConvolutionSelfCheck).
        var features = ChannelsLast.Copy(harmonics);
        foreach (var block in Blocks)
        {
            using var blockInput = features;
            features = block.forward(blockInput);
        }
        using var pooled = features.amax([2, 3]); // (batch, 2·width)
        features.Dispose();
        using var projected = dense.forward(pooled);
        using var normalized = denseNorm.forward(projected);
        normalized.relu_(); // in place: BN's backward needs its input, not its output
        using var dropped = dropout.forward(normalized);
        using var logits = classifier.forward(dropped);
        return new ModelOutput(logits.unsqueeze(0), null, [], null);
    }

    /// <summary>
    /// The authors' state-dict names (<c>training/model.py</c>, <c>modules.py</c>) for ours: <c>hstft.bw_Q</c>,
    /// <c>hstft_bn.*</c>, <c>conv_2d.res{1…7}.{conv,bn}</c> or <c>.{conv_1,bn_1,conv_2,bn_2}</c>,
    /// <c>conv_2d.{fc_1,bn,fc_2}</c>. Their <c>hstft.spec.window</c> (the Hann window, a constant here) has no
    /// counterpart and is left out.
    /// </summary>
    internal static Dictionary<string, Tensor> FromAuthorsNames(IReadOnlyDictionary<string, Tensor> authors)
    {
        static string Ours(string key)
        {
            if (key == "hstft.bw_Q") return "front_end.bandwidth_q";
            if (key.StartsWith("hstft_bn.", StringComparison.Ordinal)) return "harmonic_norm." + key["hstft_bn.".Length..];
            var parts = key.Split('.'); // conv_2d, layer, [module, tensor]
            if (parts[0] != "conv_2d") throw new KeyNotFoundException($"'{key}' is not a HarmonicCNN state-dict key");
            if (parts[1].StartsWith("res", StringComparison.Ordinal))
            {
                var block = int.Parse(parts[1]["res".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1;
                var module = parts[2] switch
                {
                    "conv" or "conv_1" => "conv0",
                    "bn" or "bn_1" => "norm0",
                    "conv_2" => "conv1",
                    "bn_2" => "norm1",
                    _ => throw new KeyNotFoundException($"'{key}' is not a HarmonicCNN state-dict key"),
                };
                return $"blocks.block{block}.{module}.{parts[3]}";
            }
            var head = parts[1] switch
            {
                "fc_1" => "dense",
                "bn" => "dense_norm",
                "fc_2" => "classifier",
                _ => throw new KeyNotFoundException($"'{key}' is not a HarmonicCNN state-dict key"),
            };
            return $"{head}.{parts[2]}";
        }

        return authors.Where(entry => entry.Key != "hstft.spec.window").ToDictionary(entry => Ours(entry.Key), entry => entry.Value);
    }
}
