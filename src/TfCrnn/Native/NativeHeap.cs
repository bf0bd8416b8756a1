using System.Runtime.InteropServices;

namespace TfCrnn.Native;

/// <summary>
/// Makes glibc keep freed memory for reuse instead of returning it to the kernel. libtorch allocates every
/// tensor with malloc; glibc maps blocks above 32 MiB afresh and unmaps them on free (a batch-64 feature map at
/// full width is 35 MB), and trims the heap's free top, so each new feature map cost fresh zero-filled pages:
/// measured here, 45 % of a full-width training step's CPU time was the kernel zeroing pages. With mapping off
/// and trimming off, the next batch reuses the memory of the last. Resident memory then stays at its peak
/// (it is not given back while the process lives) but the peak itself does not grow.
/// </summary>
internal static class NativeHeap
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapMax = -4;       // M_MMAP_MAX

    /// <summary>Applies the policy once, before libtorch allocates; does nothing outside glibc.</summary>
    public static void RetainFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = MallOpt(MmapMax, 0);
            _ = MallOpt(TrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl has no mallopt): keep the C library's defaults.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
