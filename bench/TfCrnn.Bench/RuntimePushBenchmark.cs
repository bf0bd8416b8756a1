using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TfCrnn.Runtime;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench runtime-pushes --exported DIR [--pushes 10000] [--samples 160] [--every 1000]</c>: TfCrnn.Runtime's
/// <see cref="StreamingRecognizer"/> on an exported model (ONNX Runtime, one thread) fed <c>pushes</c> short pushes of
/// <c>samples</c> samples each (160: 10 ms at 16 kHz) of a tone in noise, as an app feeds it from a microphone. Prints
/// a JSON line: the time per push (mean and median) and per decision step, and the resident memory (VmRSS) after the
/// first <c>every</c> pushes and every <c>every</c> after, with its slope.
/// </summary>
internal static class RuntimePushBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        var exported = options.String("--exported") ?? throw new ArgumentException("--exported DIR is required");
        var pushes = options.Int("--pushes", 10_000);
        var size = options.Int("--samples", 160);
        var every = options.Int("--every", 1000);
        using var model = ExportedModel.Load(exported);
        var recognizer = model.CreateRecognizer();
        var random = new Random(34);
        var chunk = new float[size];
        var times = new double[pushes];
        var rss = new List<double>();
        var detections = 0;
        var clock = new Stopwatch();
        for (var i = 0; i < pushes; i++)
        {
            for (var j = 0; j < size; j++)
            {
                var t = (long)i * size + j;
                chunk[j] = (float)(0.2 * Math.Sin(2 * Math.PI * 440 * t / model.Info.SampleRate) * Math.Sin(Math.PI * t / 24000.0) + 0.02 * (random.NextDouble() - 0.5));
            }
            clock.Restart();
            detections += recognizer.Push(chunk).Count;
            times[i] = clock.Elapsed.TotalMilliseconds;
            if ((i + 1) % every == 0) rss.Add(RssMb());
        }
        var sorted = times.Order().ToArray();
        var pushNumbers = Enumerable.Range(1, rss.Count).Select(k => (double)k * every).ToArray();
        // Not BenchOptions.Print, which asks libtorch for its threads: this process loads ONNX Runtime only.
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["benchmark"] = "runtime-pushes",
            ["pushes"] = pushes,
            ["samples_per_push"] = size,
            ["audio_seconds"] = pushes * (double)size / model.Info.SampleRate,
            ["steps"] = recognizer.Steps,
            ["detections"] = detections,
            ["ms_per_push_mean"] = times.Average(),
            ["ms_per_push_median"] = sorted[pushes / 2],
            ["ms_per_step"] = times.Sum() / Math.Max(1, recognizer.Steps),
            ["rss_mb_every"] = rss.Select(r => Math.Round(r, 1)).ToArray(),
            ["rss_slope_mb_per_1000_pushes"] = Slope(pushNumbers, [.. rss]) * 1000,
            ["peak_rss_mb"] = BenchOptions.PeakRssMb(),
            ["libtorch_loaded"] = File.ReadAllText("/proc/self/maps").Contains("libtorch", StringComparison.Ordinal),
        }));
        return 0;
    }

    /// <summary>The least-squares slope of <paramref name="y"/> over <paramref name="x"/>.</summary>
    private static double Slope(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        return x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my)) / x.Sum(v => (v - mx) * (v - mx));
    }

    private static double RssMb() => File.ReadLines("/proc/self/status")
        .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024)
        .First();
}
