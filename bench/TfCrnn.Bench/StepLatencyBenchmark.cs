using System.Diagnostics;
using TfCrnn.Checkpoints;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Native;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench step [--checkpoint DIR | --width 128 --hidden 256] [--threads 1] [--steps 200] [--precision fp32|bf16]</c>:
/// the latency of one streaming step of tfcrnn-resse at batch 1 (a 200 ms window and h(t-1) in, logits and h(t)
/// out): median over <c>steps</c> calls of <see cref="InferenceModel.Step"/> and of <see cref="Crnn.Step"/> in eval mode.
/// </summary>
internal static class StepLatencyBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        TorchThreads.Apply(options.Int("--threads", 1));
        var steps = options.Int("--steps", 200);
        var precision = InferenceOptions.ParsePrecision(options.String("--precision") ?? "fp32");
        manual_seed(0);
        using var model = options.String("--checkpoint") is { } checkpoint
            ? (Crnn)CheckpointLocator.LoadModel(checkpoint)
            : (Crnn)ModelFactory.Create(ModelConfig.For("tfcrnn-resse") with
            {
                Width = options.Int("--width", 128),
                HiddenSize = options.Int("--hidden", 256),
            });
        model.eval();
        using var inference = InferenceModel.Create(model, new InferenceOptions { Precision = precision });
        using var window = randn(1, 1, model.Config.Window);
        using var hidden = model.InitialHidden(1);
        var (folded, foldedCpu) = Median(steps, () => inference.Step(window, hidden));
        var lanes = options.Int("--lanes", 9);
        using var laneHidden = randn(lanes, model.Config.HiddenSize);
        using var laneWindows = window.expand(lanes, -1, -1).contiguous();
        var (separate, separateCpu) = Median(steps, () => inference.Step(laneWindows, laneHidden));
        var (shared, sharedCpu) = Median(steps, () => inference.Step(window, laneHidden));
        var (module, moduleCpu) = Median(steps, () =>
        {
            using var noGrad = no_grad();
            return model.Step(window, hidden);
        });
        BenchOptions.Print(new()
        {
            ["command"] = "step",
            ["width"] = model.Config.Width,
            ["hidden"] = model.Config.HiddenSize,
            ["precision"] = options.String("--precision") ?? "fp32",
            ["median_ms"] = folded,
            ["median_cpu_ms"] = foldedCpu,
            ["module_median_ms"] = module,
            ["module_median_cpu_ms"] = moduleCpu,
            ["lanes"] = lanes,
            ["lanes_median_ms"] = separate,
            ["lanes_median_cpu_ms"] = separateCpu,
            ["lanes_shared_window_median_ms"] = shared,
            ["lanes_shared_window_median_cpu_ms"] = sharedCpu,
            ["steps"] = steps,
        });
        return 0;
    }

    /// <summary>
    /// Median wall-clock and process-CPU milliseconds of <paramref name="count"/> calls after 10 untimed ones (on a
    /// busy machine the CPU time shows what the wall clock would read on a quiet one).
    /// </summary>
    private static (double Wall, double Cpu) Median(int count, Func<(Tensor, Tensor)> step)
    {
        var wall = new List<double>(count);
        var cpu = new List<double>(count);
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < count + 10; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var (logits, next) = step();
            clock.Stop();
            process.Refresh();
            logits.Dispose();
            next.Dispose();
            if (i < 10) continue;
            wall.Add(clock.Elapsed.TotalMilliseconds);
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        return (Median(wall), Median(cpu));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
