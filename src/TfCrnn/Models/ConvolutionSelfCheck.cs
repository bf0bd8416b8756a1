using TfCrnn.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// Checks that libtorch computes this toolkit's convolutions right on this CPU (<see cref="OneDnnIsa"/> tells why it
/// might not). Each check runs the same numbers through float32, which oneDNN computes, and float64, which it does
/// not, and reports the largest difference relative to the float64 result's largest magnitude:
/// <list type="bullet">
/// <item>every 1-D convolution shape the paper's blocks use (the one-channel stem, 3-tap convolutions at one width and
/// on to twice it, 1×1 shortcut projections), and every 2-D shape of the baselines (AttnCRNN's 5×1 convolutions, the
/// second channels-last as the model runs it; HarmonicCNN's 3×3 convolutions from the 6 harmonics on, each on the
/// grid it sees, channels-last as the model runs them), forward, input gradient and weight gradient;</item>
/// <item>whole models of each block kind and both baselines in training mode: logits and every parameter's
/// gradient;</item>
/// <item><see cref="InferenceModel"/>: the paper's folded channels-last convolutions, float32 and bfloat16, and the
/// baselines' eval-mode modules in float32, against the model's float64 eval-mode logits.</item>
/// </list>
/// At widths 8 and 24 (not multiples of AVX-512's 16 floats) and 16. Where oneDNN's AVX-512 kernels are live and
/// wrong, errors are near 1; float32 rounding gives about 1e-6, bfloat16's 8-bit mantissa about 1e-2. libtorch's
/// channels-first float32 kernels of some 2-D shapes were wrong on an AVX-512 CPU even under the AVX2 cap (10, 12 or 20
/// channels: AttnCRNN's 10 → 1 convolution) or without it (HarmonicCNN's at widths 8 and 24), where its channels-last
/// ones were right, which is why the baselines run those convolutions channels-last (README, "CPUs with AVX-512").
/// </summary>
public static class ConvolutionSelfCheck
{
    /// <summary>Largest relative difference a float32 check may show (rounding is about 100 times smaller).</summary>
    public const double Float32Tolerance = 1e-4;

    /// <summary>Largest relative difference a bfloat16 check may show.</summary>
    public const double BFloat16Tolerance = 0.1;

    /// <summary>
    /// Largest relative difference a float32 model in training may show when its front end takes logarithms (HarmonicCNN's
    /// decibels): they magnify the rounding of small energies, which BatchNorm over a batch of two and seven max-poolings
    /// (a near tie picks another element) carry to 1e-2 in the logits and 2e-2 to 0.21 in the gradients (once, on a loaded CI
    /// machine), varying with the thread count's reduction order. A wrong kernel gives about 1; the layer checks hold each
    /// of its convolutions to <see cref="Float32Tolerance"/>.
    /// </summary>
    public const double TrainableFrontEndTolerance = 0.5;

    private static readonly int[] Widths = [8, 16, 24];
    private static readonly string[] Variants = ["cnn-basic", "crnn-se", "tfcrnn-resse", "attn-crnn", "harmonic-cnn"];

    /// <summary>
    /// Runs the checks with the process's thread settings: the layer checks take a few seconds, the model checks
    /// (<paramref name="models"/>) about a minute on two cores.
    /// </summary>
    public static IReadOnlyList<ConvolutionCheck> Run(bool models = true)
    {
        var checks = new List<ConvolutionCheck>();
        foreach (var width in Widths)
        {
            checks.AddRange(Layer1d($"stem 1→{width}", 1, width, kernel: 3, stride: 3, padding: 1, length: 729));
            checks.AddRange(Layer1d($"conv {width}→{width}", width, width, kernel: 3, stride: 1, padding: 1, length: 243));
            checks.AddRange(Layer1d($"conv {width}→{2 * width}", width, 2 * width, kernel: 3, stride: 1, padding: 1, length: 243));
            checks.AddRange(Layer1d($"shortcut {width}→{2 * width}", width, 2 * width, kernel: 1, stride: 1, padding: 0, length: 81));
        }
        // AttnCRNN over 125 frames of 80 mel bands; HarmonicCNN's blocks 0, 1, 4 and 5 on the grids they see, channels-last
        // as the model runs them.
        // The first one's input gradient is left out: training never computes it (nothing before the convolution learns),
        // and libtorch gets it wrong on an AVX-512 CPU even under the cap.
        checks.AddRange(Layer2d("attn-crnn conv 1→10 5×1", 1, 10, (5, 1), (2, 0), (125, 80), inputGradient: false));
        checks.AddRange(Layer2d("attn-crnn conv 10→1 5×1 channels-last", 10, 1, (5, 1), (2, 0), (125, 80), channelsLast: true));
        foreach (var width in Widths)
        {
            checks.AddRange(Layer2d($"harmonic-cnn conv 6→{width} 3×3", 6, width, (3, 3), (1, 1), (128, 313), channelsLast: true));
            checks.AddRange(Layer2d($"harmonic-cnn conv {width}→{width} 3×3", width, width, (3, 3), (1, 1), (64, 156), channelsLast: true));
            checks.AddRange(Layer2d($"harmonic-cnn conv {width}→{2 * width} 3×3", width, 2 * width, (3, 3), (1, 1), (8, 19), channelsLast: true));
            checks.AddRange(Layer2d($"harmonic-cnn conv {2 * width}→{2 * width} 3×3", 2 * width, 2 * width, (3, 3), (1, 1), (4, 9), channelsLast: true));
        }
        if (models)
            foreach (var variant in Variants)
                foreach (var width in ModelRegistry.Get(variant).HasWidth ? Widths : [ModelConfig.PaperWidth])
                    checks.AddRange(Model(variant, width));
        return checks;
    }

    /// <summary>One Conv1d over (8, Cin, L) in float32 and float64 from the same numbers.</summary>
    private static IEnumerable<ConvolutionCheck> Layer1d(string name, int inChannels, int outChannels, int kernel, int stride,
        int padding, int length) =>
        Layer(name, [8, inChannels, length], [outChannels, inChannels, kernel],
            (x, w, b) => nn.functional.conv1d(x, w, b, stride, padding));

    /// <summary>
    /// One Conv2d, stride 1, over (2, Cin, H, W) in float32 and float64 from the same numbers; with
    /// <paramref name="channelsLast"/> on a channels-last copy of the input, as AttnCRNN runs its second convolution.
    /// </summary>
    private static IEnumerable<ConvolutionCheck> Layer2d(string name, int inChannels, int outChannels, (int Height, int Width) kernel,
        (int Height, int Width) padding, (int Height, int Width) grid, bool channelsLast = false, bool inputGradient = true) =>
        Layer(name, [2, inChannels, grid.Height, grid.Width], [outChannels, inChannels, kernel.Height, kernel.Width], (x, w, b) =>
        {
            using var input = channelsLast ? Layers.ChannelsLast.Copy(x) : x.alias();
            return nn.functional.conv2d(input, w, b, padding: [padding.Height, padding.Width]);
        }, inputGradient);

    /// <summary>One convolution in float32 and float64 from the same numbers: output, input gradient, weight gradient.</summary>
    /// <param name="weightShape">(Cout, Cin, kernel…).</param>
    /// <param name="inputGradient">Whether to check the input gradient too (false where training never computes it).</param>
    private static IEnumerable<ConvolutionCheck> Layer(string name, long[] inputShape, long[] weightShape,
        Func<Tensor, Tensor, Tensor, Tensor> convolve, bool inputGradient = true)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17);
        // Scalars held until the calls return (docs/torchsharp-scalars.md), here and below.
        using var fanInRoot = Math.Sqrt(weightShape.Skip(1).Aggregate(1L, (a, b) => a * b)).ToScalar();
        var x = randn(inputShape, ScalarType.Float64, generator: generator);
        var w = randn(weightShape, ScalarType.Float64, generator: generator).div(fanInRoot);
        var b = randn([weightShape[0]], ScalarType.Float64, generator: generator);
        var (y64, dx64, dw64) = ForwardBackward(x, w, b, convolve, generator: new Generator(18));
        var (y32, dx32, dw32) = ForwardBackward(x.to_type(ScalarType.Float32), w.to_type(ScalarType.Float32),
            b.to_type(ScalarType.Float32), convolve, generator: new Generator(18));
        return
        [
            new ConvolutionCheck($"{name}: output", RelativeError(y32, y64), Float32Tolerance),
            .. inputGradient ? [new ConvolutionCheck($"{name}: input gradient", RelativeError(dx32, dx64), Float32Tolerance)] : Array.Empty<ConvolutionCheck>(),
            new ConvolutionCheck($"{name}: weight gradient", RelativeError(dw32, dw64), Float32Tolerance),
        ];
    }

    private static (Tensor Output, Tensor InputGradient, Tensor WeightGradient) ForwardBackward(Tensor x, Tensor w, Tensor b,
        Func<Tensor, Tensor, Tensor, Tensor> convolve, Generator generator)
    {
        var input = x.detach().requires_grad_();
        var weight = w.detach().requires_grad_();
        var output = convolve(input, weight, b);
        // The same upstream gradient in both precisions: drawn in float64, then converted.
        var upstream = randn(output.shape, ScalarType.Float64, generator: generator).to_type(output.dtype);
        output.backward([upstream]);
        return (output.detach(), input.grad!, weight.grad!);
    }

    /// <summary>
    /// A model in training mode (dropout off; every other random layer drawing alike in both) in both precisions, then
    /// its inference forms.
    /// </summary>
    private static IEnumerable<ConvolutionCheck> Model(string variant, int width)
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.For(variant) with { Width = width, HiddenSize = 32, HeadDropout = 0, ResidualDropout = 0 };
        manual_seed(19);
        using var single = ModelFactory.Create(config);
        using var twin = ModelFactory.Create(config);
        twin.load_state_dict(single.state_dict());
        ToFloat64(twin);
        single.DrawRandomnessFrom(new Generator(21));
        twin.DrawRandomnessFrom(new Generator(21));
        using var three = 3.ToScalar();
        var input = randn([2, 1, config.ClipSamples], ScalarType.Float64, generator: new Generator(20)).mul(three);
        var name = config.Model.HasWidth ? $"{variant} width {width}" : variant;

        // Inference first: a training-mode pass would move the BatchNorms' running statistics of the two apart.
        single.eval();
        twin.eval();
        using (no_grad())
        {
            var expected = twin.Forward(input, ForwardExtras.None).Logits;
            foreach (var precision in config.Model.InferencePrecisions)
            {
                // Emulated where the CPU lacks native bfloat16: the same kernels' roundings, which is what is checked.
                using var inference = InferenceModel.CreateEmulated(single, new InferenceOptions { Precision = precision });
                var actual = inference.Forward(input.to_type(ScalarType.Float32));
                yield return new ConvolutionCheck($"{name}, inference {(precision == InferencePrecision.Float32 ? "fp32" : "bf16")}: logits",
                    RelativeError(actual, expected),
                    precision == InferencePrecision.Float32 ? Float32Tolerance : BFloat16Tolerance);
            }
        }

        single.train();
        twin.train();
        var logits32 = Loss(single, input.to_type(ScalarType.Float32), out var loss32);
        var logits64 = Loss(twin, input, out var loss64);
        loss32.backward();
        loss64.backward();
        // All gradients as one vector: a convolution's bias before a BatchNorm has a gradient of zero up to rounding.
        var gradients32 = cat(single.parameters().Select(p => p.grad!.flatten()).ToArray());
        var gradients64 = cat(twin.parameters().Select(p => p.grad!.flatten()).ToArray());
        var tolerance = config.Model.FrontEnd.Kind == FrontEndKind.Trainable ? TrainableFrontEndTolerance : Float32Tolerance;
        yield return new ConvolutionCheck($"{name}, training: logits", RelativeError(logits32, logits64), tolerance);
        yield return new ConvolutionCheck($"{name}, training: parameter gradients", RelativeError(gradients32, gradients64), tolerance);
    }

    /// <summary>
    /// Every layer in float64, one leaf module at a time: Module.to on the whole model stumbles over the block
    /// dictionary's field names.
    /// </summary>
    private static void ToFloat64(SpeechCommandModel model)
    {
        foreach (var leaf in model.modules().Where(m => !m.children().Any()))
            leaf.to(ScalarType.Float64);
    }

    private static Tensor Loss(SpeechCommandModel model, Tensor input, out Tensor loss)
    {
        var logits = model.Forward(input, ForwardExtras.None).Logits;
        // A fixed weighting of every logit: any error in any output reaches every gradient.
        using var start = 0.ToScalar();
        using var stop = logits.numel().ToScalar();
        using var step = 1.ToScalar();
        var weights = arange(start, stop, step, logits.dtype).reshape(logits.shape).sin();
        loss = (logits * weights).sum();
        return logits;
    }

    private static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var reference = expected.to_type(ScalarType.Float64);
        var difference = (actual.to_type(ScalarType.Float64) - reference).abs().max().item<double>();
        var scale = reference.abs().max().item<double>();
        return double.IsNaN(difference) ? double.PositiveInfinity : difference / Math.Max(scale, 1e-12);
    }
}

/// <summary>One self-check: the largest relative difference from float64 and the bound it must stay within.</summary>
public sealed record ConvolutionCheck(string Name, double Error, double Tolerance)
{
    /// <summary>Within the tolerance (a NaN error never is).</summary>
    public bool Passed => Error <= Tolerance;
}
