using TfCrnn.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// Checks that libtorch computes this toolkit's convolutions right on this CPU (<see cref="OneDnnIsa"/> tells why it
/// might not). Each check runs the same numbers through float32, which oneDNN computes, and float64, which it does
/// not, and reports the largest difference relative to the float64 result's largest magnitude:
/// <list type="bullet">
/// <item>every convolution shape the blocks use (the one-channel stem, 3-tap convolutions at one width and on to
/// twice it, 1×1 shortcut projections), forward, input gradient and weight gradient;</item>
/// <item>whole models of each block kind in training mode: logits and every parameter's gradient;</item>
/// <item><see cref="InferenceModel"/>'s folded channels-last convolutions, float32 and bfloat16, against the model's
/// float64 eval-mode logits.</item>
/// </list>
/// At widths 8 and 24 (not multiples of AVX-512's 16 floats) and 16. Where oneDNN's AVX-512 kernels are live and
/// wrong, errors are near 1; float32 rounding gives about 1e-6, bfloat16's 8-bit mantissa about 1e-2.
/// </summary>
public static class ConvolutionSelfCheck
{
    /// <summary>Largest relative difference a float32 check may show (rounding is about 100 times smaller).</summary>
    public const double Float32Tolerance = 1e-4;

    /// <summary>Largest relative difference a bfloat16 check may show.</summary>
    public const double BFloat16Tolerance = 0.1;

    private static readonly int[] Widths = [8, 16, 24];
    private static readonly string[] Variants = ["cnn-basic", "crnn-se", "tfcrnn-resse"];

    /// <summary>
    /// Runs the checks with the process's thread settings: the layer checks take about a second, the model checks
    /// (<paramref name="models"/>) half a minute on two cores.
    /// </summary>
    public static IReadOnlyList<ConvolutionCheck> Run(bool models = true)
    {
        var checks = new List<ConvolutionCheck>();
        foreach (var width in Widths)
        {
            checks.AddRange(Layer($"stem 1→{width}", 1, width, kernel: 3, stride: 3, padding: 1, length: 729));
            checks.AddRange(Layer($"conv {width}→{width}", width, width, kernel: 3, stride: 1, padding: 1, length: 243));
            checks.AddRange(Layer($"conv {width}→{2 * width}", width, 2 * width, kernel: 3, stride: 1, padding: 1, length: 243));
            checks.AddRange(Layer($"shortcut {width}→{2 * width}", width, 2 * width, kernel: 1, stride: 1, padding: 0, length: 81));
        }
        if (models)
            foreach (var variant in Variants)
                foreach (var width in Widths)
                    checks.AddRange(Model(variant, width));
        return checks;
    }

    /// <summary>One Conv1d in float32 and float64 from the same numbers: output, input gradient, weight gradient.</summary>
    private static IEnumerable<ConvolutionCheck> Layer(string name, int inChannels, int outChannels, int kernel, int stride,
        int padding, int length)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17);
        // Scalars held until the calls return (docs/torchsharp-scalars.md), here and below.
        using var fanInRoot = Math.Sqrt(inChannels * kernel).ToScalar();
        var x = randn([8, inChannels, length], ScalarType.Float64, generator: generator);
        var w = randn([outChannels, inChannels, kernel], ScalarType.Float64, generator: generator).div(fanInRoot);
        var b = randn([outChannels], ScalarType.Float64, generator: generator);
        var (y64, dx64, dw64) = ForwardBackward(x, w, b, stride, padding, generator: new Generator(18));
        var (y32, dx32, dw32) = ForwardBackward(x.to_type(ScalarType.Float32), w.to_type(ScalarType.Float32),
            b.to_type(ScalarType.Float32), stride, padding, generator: new Generator(18));
        return
        [
            new ConvolutionCheck($"{name}: output", RelativeError(y32, y64), Float32Tolerance),
            new ConvolutionCheck($"{name}: input gradient", RelativeError(dx32, dx64), Float32Tolerance),
            new ConvolutionCheck($"{name}: weight gradient", RelativeError(dw32, dw64), Float32Tolerance),
        ];
    }

    private static (Tensor Output, Tensor InputGradient, Tensor WeightGradient) ForwardBackward(Tensor x, Tensor w, Tensor b,
        int stride, int padding, Generator generator)
    {
        var input = x.detach().requires_grad_();
        var weight = w.detach().requires_grad_();
        var output = nn.functional.conv1d(input, weight, b, stride, padding);
        // The same upstream gradient in both precisions: drawn in float64, then converted.
        var upstream = randn(output.shape, ScalarType.Float64, generator: generator).to_type(output.dtype);
        output.backward([upstream]);
        return (output.detach(), input.grad!, weight.grad!);
    }

    /// <summary>A model in training mode (dropout off) in both precisions, then its folded inference forms.</summary>
    private static IEnumerable<ConvolutionCheck> Model(string variant, int width)
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.For(variant) with { Width = width, HiddenSize = 32, HeadDropout = 0, ResidualDropout = 0 };
        manual_seed(19);
        using var single = ModelFactory.Create(config);
        using var twin = ModelFactory.Create(config);
        twin.load_state_dict(single.state_dict());
        ToFloat64(twin);
        using var three = 3.ToScalar();
        var input = randn([2, 1, config.ClipSamples], ScalarType.Float64, generator: new Generator(20)).mul(three);
        var name = $"{variant} width {width}";

        // Inference first: a training-mode pass would move the BatchNorms' running statistics of the two apart.
        single.eval();
        twin.eval();
        using (no_grad())
        {
            var expected = twin.Forward(input, ForwardExtras.None).Logits;
            foreach (var precision in new[] { InferencePrecision.Float32, InferencePrecision.BFloat16 })
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
        yield return new ConvolutionCheck($"{name}, training: logits", RelativeError(logits32, logits64), Float32Tolerance);
        yield return new ConvolutionCheck($"{name}, training: parameter gradients", RelativeError(gradients32, gradients64), Float32Tolerance);
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
