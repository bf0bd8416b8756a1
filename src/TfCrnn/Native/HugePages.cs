using System.Runtime.InteropServices;

namespace TfCrnn.Native;

/// <summary>
/// Backs libtorch's large CPU tensors with transparent huge pages. A batch-64 feature map at full width is 35 MB,
/// above glibc's largest heap block, so every such tensor is mapped afresh and its pages faulted in one by one:
/// measured here, 23 ms of kernel time per 35 MB tensor with 4 KiB pages, 5 ms with 2 MiB pages (about a third
/// of a training step's CPU time went to page faults). libtorch (c10) has the switch,
/// <c>THP_MEM_ALLOC_ENABLE</c>, read once from the C environment at its first allocation.
/// </summary>
internal static class HugePages
{
    private const string Variable = "THP_MEM_ALLOC_ENABLE";
    private const string KernelSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>
    /// Sets <c>THP_MEM_ALLOC_ENABLE=1</c> in the process environment unless the user set it, where the kernel lets a
    /// process ask for huge pages (<c>[always]</c> or <c>[madvise]</c>; with <c>[never]</c> libtorch would only warn).
    /// </summary>
    public static void EnableForTorch()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null) return;
        try
        {
            var setting = File.ReadAllText(KernelSetting);
            if (!setting.Contains("[always]", StringComparison.Ordinal) && !setting.Contains("[madvise]", StringComparison.Ordinal))
                return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        // .NET's Environment.SetEnvironmentVariable does not reach the C environment that libtorch reads.
        _ = SetEnv(Variable, "1", 0);
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnv(string name, string value, int overwrite);
}
