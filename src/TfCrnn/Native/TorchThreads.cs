using static TorchSharp.torch;

namespace TfCrnn.Native;

/// <summary>The intra-op thread count of torch's CPU kernels.</summary>
public static class TorchThreads
{
    /// <summary>The thread count <see cref="Apply"/> sets for <paramref name="requested"/>.</summary>
    public static int Count(int requested) => requested > 0 ? requested : CpuInfo.Current.PhysicalCores;

    /// <summary>
    /// Sets torch's intra-op threads: <paramref name="requested"/> when positive, else one per physical core
    /// (<see cref="CpuInfo.PhysicalCores"/>): SMT siblings share one core's vector units, and more threads than
    /// cores only make them wait on each other. Returns the count in effect.
    /// </summary>
    public static int Apply(int requested)
    {
        var threads = Count(requested);
        if (get_num_threads() != threads) set_num_threads(threads);
        return threads;
    }
}
