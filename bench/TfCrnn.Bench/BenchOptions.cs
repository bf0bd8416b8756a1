using System.Globalization;
using System.Text.Json;

namespace TfCrnn.Bench;

/// <summary><c>--name value</c> pairs of a benchmark verb, and the JSON line every verb prints.</summary>
internal sealed class BenchOptions(string[] args)
{
    private readonly Dictionary<string, string> values = args.Chunk(2).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "");

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string? String(string name) => values.GetValueOrDefault(name);

    /// <summary>Peak resident memory of this process so far (VmHWM), in MiB.</summary>
    public static double PeakRssMb() => File.ReadLines("/proc/self/status")
        .Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024)
        .First();

    public static void Print(Dictionary<string, object> result)
    {
        result["framework"] = "tfcrnn (TorchSharp 0.107.0)";
        result["threads"] = TorchSharp.torch.get_num_threads();
        result["peak_rss_mb"] = PeakRssMb();
        Console.WriteLine(JsonSerializer.Serialize(result));
    }
}
