using System.Diagnostics;
using System.Text.Json;
using TfCrnn.Training;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench training --data DIR [--model tfcrnn-resse] [--width 32] [--batch 64] [--threads 2] [--warmup 2] [--batches 20]</c>:
/// training throughput (clips/s) of <see cref="Trainer"/> itself (data loader, augmentation, forward, backward,
/// SGD step, dispose scopes), timed between training-progress reports after <c>warmup</c> batches. Prints the
/// JSON object that <c>bench/pytorch/train_throughput.py</c> prints for the same model and recipe.
/// </summary>
internal static class TrainingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "");
        int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
        var warmup = Int("--warmup", 2);
        var batches = Int("--batches", 20);
        var batch = Int("--batch", 64);
        var model = options.GetValueOrDefault("--model", "tfcrnn-resse");
        var width = Int("--width", 32);
        using var output = new TempFolder();
        var clock = new Stopwatch();
        var start = TimeSpan.Zero;
        var end = TimeSpan.Zero;
        var progress = new Reporter(p =>
        {
            if (p.Phase != TrainingPhase.Training) return;
            if (p.Batch == 1) clock.Start();
            if (p.Batch == warmup) start = clock.Elapsed;
            if (p.Batch == warmup + batches) end = clock.Elapsed;
        });
        await Trainer.RunAsync(new TrainingOptions
        {
            DataPath = options.GetValueOrDefault("--data") ?? throw new ArgumentException("--data DIR is required"),
            Variant = model,
            OutputDirectory = output.Path,
            Width = width,
            BatchSize = batch,
            MaxEpochs = 1,
            LimitTrain = (warmup + batches) * batch,
            Threads = Int("--threads", 2),
        }, progress);
        var seconds = (end - start).TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["framework"] = "tfcrnn (TorchSharp 0.107.0)",
            ["model"] = model,
            ["width"] = width,
            ["batch"] = batch,
            ["threads"] = TorchSharp.torch.get_num_threads(),
            ["batches"] = batches,
            ["seconds"] = seconds,
            ["clips_per_second"] = batches * batch / seconds,
        }));
        return 0;
    }

    internal sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    internal sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("tfcrnn-bench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
