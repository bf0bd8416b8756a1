using System.Diagnostics;
using System.Text.Json;
using TfCrnn.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench models [--batch 64] [--warmup 1] [--iterations 2] [--threads N] [--width 128] [variants...]</c>:
/// seconds per batch for inference (eval, no grad) and for a training step's forward + backward (train mode,
/// many-to-many cross-entropy), per variant. Prints a JSON array on stdout, the format that
/// <c>bench/pytorch/benchmark_models.py</c> prints for the same models in PyTorch.
/// </summary>
internal static class ModelBenchmark
{
    private sealed record Timing(string Model, int Batch, int Threads, double ForwardSeconds, double ForwardBackwardSeconds);

    public static int Run(string[] args)
    {
        var options = ParseOptions(args, out var variants);
        var batch = options.GetValueOrDefault("--batch", 64);
        var warmup = options.GetValueOrDefault("--warmup", 1);
        var iterations = options.GetValueOrDefault("--iterations", 2);
        var width = options.GetValueOrDefault("--width", 128);
        if (options.TryGetValue("--threads", out var threads)) torch.set_num_threads(threads);
        torch.manual_seed(0);

        var timings = new List<Timing>();
        foreach (var variant in variants.Count > 0 ? variants : ModelConfig.Variants)
        {
            using var model = ModelFactory.Create(variant, width);
            using var waveforms = randn(batch, 1, 16000);
            using var labels = randint(0, model.Config.Classes, [batch], dtype: ScalarType.Int64);
            var forward = Time(warmup, iterations, () =>
            {
                model.eval();
                using var noGrad = no_grad();
                model.Forward(waveforms, ForwardExtras.None);
            });
            var forwardBackward = Time(warmup, iterations, () =>
            {
                model.train();
                model.zero_grad();
                var logits = model.Forward(waveforms, ForwardExtras.None).Logits; // (steps, batch, classes)
                var loss = nn.functional.cross_entropy(logits.flatten(0, 1), labels.repeat(logits.shape[0]));
                loss.backward();
            });
            timings.Add(new Timing(variant, batch, torch.get_num_threads(), forward, forwardBackward));
            Console.Error.WriteLine($"{variant}: forward {forward:F3} s, forward+backward {forwardBackward:F3} s");
        }
        Console.WriteLine(JsonSerializer.Serialize(timings,
            new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        return 0;
    }

    /// <summary>Mean seconds of <paramref name="iterations"/> runs after <paramref name="warmup"/> untimed ones.</summary>
    private static double Time(int warmup, int iterations, Action run)
    {
        var watch = new Stopwatch();
        for (var i = 0; i < warmup + iterations; i++)
        {
            using var scope = NewDisposeScope();
            if (i == warmup) watch.Start();
            run();
        }
        return watch.Elapsed.TotalSeconds / iterations;
    }

    private static Dictionary<string, int> ParseOptions(string[] args, out List<string> variants)
    {
        var options = new Dictionary<string, int>();
        variants = [];
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal)) options[args[i]] = int.Parse(args[++i]);
            else variants.Add(args[i]);
        }
        return options;
    }
}
