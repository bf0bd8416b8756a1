namespace TfCrnn.Native;

/// <summary>
/// What the CPUs this process may run on offer: physical cores (for the intra-op thread count) and the
/// instruction-set extensions reduced-precision inference needs. Read once from Linux's /proc and /sys;
/// elsewhere the logical processor count stands in for cores and no extension is assumed.
/// </summary>
public sealed record CpuInfo(string Model, int PhysicalCores, IReadOnlySet<string> Flags)
{
    private static readonly Lazy<CpuInfo> Detected = new(Detect);

    /// <summary>This machine, detected once.</summary>
    public static CpuInfo Current => Detected.Value;

    /// <summary>
    /// Native bfloat16 arithmetic: AVX-512 BF16 (<c>avx512_bf16</c>) or AMX (<c>amx_bf16</c>). Without either,
    /// libtorch emulates bfloat16 through float32 conversions, slower than float32 itself.
    /// </summary>
    public bool SupportsBFloat16 => Flags.Contains("avx512_bf16") || Flags.Contains("amx_bf16");

    private static CpuInfo Detect()
    {
        var logical = Environment.ProcessorCount; // honours the affinity mask and cgroup CPU limits
        if (!OperatingSystem.IsLinux())
            return new CpuInfo("unknown", logical, new HashSet<string>());
        string[] cpuinfo;
        try { cpuinfo = File.ReadAllLines("/proc/cpuinfo"); }
        catch (IOException) { cpuinfo = []; }
        string? Field(string name) => cpuinfo.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':'))
            ?.Split(':', 2)[1].Trim();
        var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new CpuInfo(Field("model name") ?? "unknown", Math.Min(logical, PhysicalCoresOf(AllowedCpus())), flags);
    }

    /// <summary>Distinct (package, core) pairs among <paramref name="cpus"/>: SMT siblings count once.</summary>
    internal static int PhysicalCoresOf(IEnumerable<int> cpus)
    {
        var cores = new HashSet<(string, string)>();
        var unknown = 0;
        foreach (var cpu in cpus)
        {
            var topology = $"/sys/devices/system/cpu/cpu{cpu}/topology";
            try
            {
                cores.Add((File.ReadAllText(Path.Combine(topology, "physical_package_id")).Trim(),
                    File.ReadAllText(Path.Combine(topology, "core_id")).Trim()));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                unknown++;
            }
        }
        return Math.Max(1, cores.Count + unknown);
    }

    /// <summary>The CPUs in this process's affinity mask (<c>Cpus_allowed_list</c>), or all online CPUs.</summary>
    private static IEnumerable<int> AllowedCpus()
    {
        var line = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
            : null;
        return line is null ? Enumerable.Range(0, Environment.ProcessorCount) : ParseCpuList(line.Split(':', 2)[1]);
    }

    /// <summary>A kernel CPU list such as <c>0-3,8,10-11</c>.</summary>
    internal static IEnumerable<int> ParseCpuList(string list)
    {
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            var first = int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
            var last = bounds.Length > 1 ? int.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture) : first;
            for (var cpu = first; cpu <= last; cpu++) yield return cpu;
        }
    }
}
