using System.Diagnostics;
using System.Runtime.InteropServices;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Synthesis;

namespace TfCrnn.Bench;

/// <summary>
/// Clips per second of the data path on a synthesized set: decoding WAV files, building the cache, and
/// BatchLoader epochs (batch 64, shuffled, augmented) from the memory-mapped cache and from WAV files.
/// Options: --clips-per-word N (default 60), --epochs N (default 3), --out FILE (default bench/results/loader.md).
/// </summary>
internal static class LoaderBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clipsPerWord = IntOption(args, "--clips-per-word", 60);
        var epochs = IntOption(args, "--epochs", 3);
        var output = StringOption(args, "--out") ?? Path.Combine("bench", "results", "loader.md");
        var root = Path.Combine(Path.GetTempPath(), $"tfcrnn-bench-{Guid.NewGuid():N}");
        try
        {
            var synthesis = Stopwatch.StartNew();
            // The commands only: this measures the 35-word data path.
            var set = await DatasetSynthesizer.RunAsync(new SynthesisOptions
            {
                OutputDirectory = root,
                ClipsPerWord = clipsPerWord,
                Seed = 0,
                NonKeywordWords = 0,
                BackgroundNoiseSeconds = 0,
            });
            synthesis.Stop();
            var rows = new List<(string Path, int Clips, double Seconds)>
            {
                ("synthesis (espeak-ng, 2 threads)", set.Clips, synthesis.Elapsed.TotalSeconds),
            };

            var files = Directory.GetFiles(root, "*.wav", SearchOption.AllDirectories);
            rows.Add(("WavFile.Read of every clip", files.Length, Time(() =>
            {
                foreach (var file in files)
                    WavFile.Read(file);
            })));

            SpeechCommandsDataset? cached = null;
            rows.Add(("cache build (first open)", files.Length, Time(() => cached = SpeechCommandsDataset.Open(root))));
            using (cached)
            {
                rows.Add(("cache reuse (later open)", files.Length, Time(() => SpeechCommandsDataset.Open(root).Dispose())));
                rows.Add(("ReadPreprocessed from cache (no tensors)", files.Length, Time(() =>
                {
                    foreach (var clip in cached!.AllClips)
                        cached.ReadPreprocessed(clip);
                })));
                rows.Add(($"BatchLoader from cache, {epochs} epochs", epochs * Epoch(cached!, 0).Clips, Time(() =>
                {
                    for (var epoch = 0; epoch < epochs; epoch++)
                        Epoch(cached!, epoch);
                })));
            }
            using var direct = SpeechCommandsDataset.Open(root, new DatasetOptions { UseCache = false });
            rows.Add(("BatchLoader from WAV files, 1 epoch", Epoch(direct, 0).Clips, Time(() => Epoch(direct, 0))));

            var report = Report(rows, clipsPerWord);
            Console.Write(report);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, report);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>One training-style epoch over every clip; the batches are only touched, as a model would.</summary>
    private static (int Clips, double Checksum) Epoch(SpeechCommandsDataset data, int epoch)
    {
        var loader = new BatchLoader(data, data.AllClips, new BatchLoaderOptions(64, Shuffle: true, DropLast: false, Augment: true, Seed: 0));
        var clips = 0;
        var checksum = 0.0;
        foreach (var batch in loader.Epoch(epoch))
            using (batch)
            {
                clips += batch.Size;
                checksum += batch.Labels.sum().item<long>();
            }
        return (clips, checksum);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    private static string Report(List<(string Path, int Clips, double Seconds)> rows, int clipsPerWord)
    {
        var lines = new List<string>
        {
            "# Loader benchmark",
            "",
            $"`dotnet run -c Release --project bench/TfCrnn.Bench -- loader --clips-per-word {clipsPerWord}` on a synthesized set " +
            $"(35 words × {clipsPerWord} clips), {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, " +
            $"{RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd}{LoadAverage()}. BatchLoader epochs: batch 64, shuffled, " +
            "with the training shift. The WAV files of a set this small sit in the page cache, so the WAV rows measure decoding, not the disk.",
            "",
            "| path | clips | seconds | clips/s |",
            "| --- | ---: | ---: | ---: |",
        };
        lines.AddRange(rows.Select(r => $"| {r.Path} | {r.Clips} | {r.Seconds:F2} | {r.Clips / r.Seconds:N0} |"));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Other work on the machine skews the numbers; say how busy it was.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $", load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} while running" : "";

    private static int IntOption(string[] args, string name, int fallback) =>
        StringOption(args, name) is { } value ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : fallback;

    private static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
