using System.Globalization;
using System.Runtime.InteropServices;

namespace TfCrnn.Tests.Support;

/// <summary>The peak resident memory that a piece of work adds to this process (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>
    /// Runs <paramref name="work"/> and returns how far the process's peak resident set (VmHWM) rose above its
    /// resident set before, in MiB. Freed heap memory is first returned to the system (<c>malloc_trim</c>) and the
    /// peak reset to the current size (<c>/proc/self/clear_refs</c>), so earlier work neither hides nor inflates
    /// the figure. Other threads of the process must be idle: run such tests in <see cref="ProcessMemoryCollection"/>.
    /// </summary>
    public static double PeakGrowthMb(Action work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        MallocTrim(0);
        File.WriteAllText("/proc/self/clear_refs", "5");
        var before = Status("VmRSS");
        work();
        return (Status("VmHWM") - before) / 1024.0;
    }

    private static long Status(string field) => File.ReadLines("/proc/self/status")
        .Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
        .First();

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}

/// <summary>Tests that measure the process's memory run alone: other tests' allocations would show in the figures.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "process memory";
}
