using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Progress;
using TfCrnn.Training;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench augmentation --data DIR [--recipes 'paper;robust'] [--parts transforms,loader,training] [--epochs 2]
/// [--train-batches 40] [--threads 1] [--width 16] [--batch 16] [--out FILE]</c>: what the on-the-fly augmentation costs. (1) Milliseconds per clip of
/// each transform alone (applied to every clip); (2) clips/s of a BatchLoader epoch (training clips, batches of 64,
/// shuffled) under each recipe, the consumer only touching the batches; (3) training throughput (clips/s of
/// <see cref="Trainer"/>: loader, forward, backward, step) under each recipe. Writes a markdown table.
/// </summary>
internal static class AugmentationBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = args.Chunk(2).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "");
        int Int(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var dataPath = options.GetValueOrDefault("--data") ?? throw new ArgumentException("--data DIR is required");
        var recipes = options.GetValueOrDefault("--recipes", "paper;robust").Split(';');
        var epochs = Int("--epochs", 2);
        var trainBatches = Int("--train-batches", 40);
        var threads = Int("--threads", 1);
        var width = Int("--width", 16);
        var batch = Int("--batch", 16);
        var output = options.GetValueOrDefault("--out") ?? Path.Combine("bench", "results", "augmentation-cost.md");
        var parts = options.GetValueOrDefault("--parts", "transforms,loader,training").Split(',');
        TorchSharp.torch.set_num_threads(threads);

        var lines = new List<string>
        {
            "# Augmentation cost",
            "",
            $"`dotnet run -c Release --project bench/TfCrnn.Bench -- augmentation {string.Join(' ', args)}` on `{dataPath}`, " +
            $"{Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd}.",
            "",
        };
        using var data = SpeechCommandsDataset.Open(dataPath);
        var clips = data.Clips(Split.Train);

        var sample = clips.Take(300).Select(data.ReadPreprocessed).ToList();
        var sources = new NoiseSources(data.BackgroundNoise, i => data.ReadSamples(clips[i]), clips.Count);
        if (parts.Contains("transforms"))
            lines.AddRange(["## Each transform alone (every clip, one thread)", "",
                "CPU ms: processor time of the process per clip, less inflated by other work on the machine than the wall-clock ms.", "",
                "| transform | range | wall ms per clip | CPU ms per clip | load average |", "| --- | --- | ---: | ---: | ---: |"]);
        foreach (var transform in parts.Contains("transforms") ? AugmentationRecipe.Transforms : [])
        {
            var range = transform.Get(AugmentationRecipe.Robust)! with { Probability = 1 };
            var augmenter = new ClipAugmenter(transform.Set(AugmentationRecipe.None, range), sources);
            var (seconds, cpu) = Time(() =>
            {
                for (var i = 0; i < sample.Count; i++)
                    augmenter.Apply(sample[i].ToArray(), i);
            });
            lines.Add($"| {transform.Name} | {range.Min.ToString(CultureInfo.InvariantCulture)}:{range.Max.ToString(CultureInfo.InvariantCulture)} {transform.Unit} | " +
                $"{seconds * 1000 / sample.Count:F2} | {cpu * 1000 / sample.Count:F2} | {LoadAverage()} |");
            Console.Error.WriteLine(lines[^1]);
        }

        if (parts.Contains("loader"))
            lines.AddRange(["", "## BatchLoader epochs (training clips, batch 64, shuffled)", "",
                "| recipe | clips | seconds | clips/s | CPU ms per clip | load average |", "| --- | ---: | ---: | ---: | ---: | ---: |"]);
        foreach (var spec in parts.Contains("loader") ? recipes : [])
        {
            var recipe = AugmentationRecipe.Parse(spec);
            var loader = new BatchLoader(data, clips, new BatchLoaderOptions(64, Shuffle: true, DropLast: false, Augment: true, Seed: 0,
                Augmentation: recipe));
            var count = 0;
            var (seconds, cpu) = Time(() =>
            {
                for (var epoch = 0; epoch < epochs; epoch++)
                    foreach (var b in loader.Epoch(epoch))
                        using (b)
                            count += b.Size;
            });
            lines.Add($"| `{spec}` | {count} | {seconds:F2} | {count / seconds:N0} | {cpu * 1000 / count:F2} | {LoadAverage()} |");
            Console.Error.WriteLine(lines[^1]);
        }

        if (parts.Contains("training"))
            lines.AddRange(["", $"## Training throughput (tfcrnn-resse, width {width}, batch {batch}, {threads} torch thread(s), {trainBatches} batches after 3 warm-up)", "",
                "| recipe | clips/s | load average |", "| --- | ---: | ---: |"]);
        foreach (var spec in parts.Contains("training") ? recipes : [])
        {
            var clipsPerSecond = await TrainingThroughput(dataPath, AugmentationRecipe.Parse(spec), width, batch, threads, trainBatches);
            lines.Add($"| `{spec}` | {clipsPerSecond:F1} | {LoadAverage()} |");
            Console.Error.WriteLine(lines[^1]);
        }

        var report = string.Join('\n', lines) + "\n";
        Console.Write(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, report);
        return 0;
    }

    private static async Task<double> TrainingThroughput(string dataPath, AugmentationRecipe recipe, int width, int batch, int threads, int batches)
    {
        const int warmup = 3;
        using var output = new TempFolder();
        var clock = new Stopwatch();
        TimeSpan start = TimeSpan.Zero, end = TimeSpan.Zero;
        await Trainer.RunAsync(new TrainingOptions
        {
            DataPath = dataPath,
            Variant = "tfcrnn-resse",
            OutputDirectory = output.Path,
            Width = width,
            BatchSize = batch,
            MaxEpochs = 1,
            LimitTrain = (warmup + batches) * batch,
            Threads = threads,
            Augmentation = recipe,
        }, new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase != TrainingPhase.Training) return;
            if (p.Batch == 1) clock.Start();
            if (p.Batch == warmup) start = clock.Elapsed;
            if (p.Batch == warmup + batches) end = clock.Elapsed;
        }));
        return batches * batch / (end - start).TotalSeconds;
    }

    /// <summary>Wall-clock and processor seconds of <paramref name="action"/>.</summary>
    private static (double Wall, double Cpu) Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        process.Refresh();
        return (watch.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("tfcrnn-bench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
