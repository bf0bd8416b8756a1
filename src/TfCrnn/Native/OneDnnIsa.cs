using System.Runtime.InteropServices;

namespace TfCrnn.Native;

/// <summary>
/// Keeps libtorch's oneDNN convolutions off the AVX-512 kernels that compute wrong results. With libtorch 2.10
/// (TorchSharp-cpu 0.107.0) on CPUs with AVX-512, the plain (channels-first) float32 <c>Conv1d</c> that training runs
/// came out wrong, forward or input gradient, for channel counts that are not a multiple of 16 (8→8, 24→24, 24→48:
/// errors near 1 where float64 agrees to 1e-6), so training at widths 8 or 24 went NaN or, worse, learnt from wrong
/// gradients. oneDNN's own switch <c>ONEDNN_MAX_CPU_ISA</c>, read once when it first dispatches a kernel, caps it at
/// AVX2, where every shape is exact; it costs a third of the speed of a full-width training step (bench/RESULTS.md).
/// <see cref="Models.InferenceModel"/>'s channels-last convolutions are exact on AVX-512
/// (<see cref="Models.ConvolutionSelfCheck"/>), so a process that only runs it keeps AVX-512: a third faster in
/// float32, and native bfloat16, which the AVX2 cap would make eight times slower.
/// A cap the user set (<c>ONEDNN_MAX_CPU_ISA</c> or its older name <c>DNNL_MAX_CPU_ISA</c>) is left as it is.
/// </summary>
public static class OneDnnIsa
{
    /// <summary>oneDNN's environment variable for the highest instruction set it may dispatch to.</summary>
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    private const string LegacyVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>The cap this toolkit sets on CPUs with AVX-512.</summary>
    public const string SafeCap = "AVX2";

    /// <summary>The cap as libtorch's oneDNN reads it: the C environment's value, null where none is set.</summary>
    public static string? ReadBack() => NativeEnvironment.Get(Variable) is { Length: > 0 } cap ? cap : NativeEnvironment.Get(LegacyVariable);

    /// <summary>
    /// Sets or removes this toolkit's cap in the process's native environment for <paramref name="workload"/>, unless
    /// the user set one. oneDNN reads it at its first primitive, not when libtorch loads.
    /// </summary>
    internal static OneDnnIsaSetting Apply(CpuInfo cpu, TorchWorkload workload)
    {
        if (!OperatingSystem.IsLinux())
            return new OneDnnIsaSetting(null, OneDnnIsaOrigin.Default);
        foreach (var name in new[] { Variable, LegacyVariable })
            // The managed copy: the environment the process started with, before any cap of ours.
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } user)
                return new OneDnnIsaSetting(user, OneDnnIsaOrigin.User);
        if (!cpu.Flags.Contains("avx512f") || workload == TorchWorkload.Inference)
        {
            NativeEnvironment.Unset(Variable);
            return new OneDnnIsaSetting(null, OneDnnIsaOrigin.Default);
        }
        NativeEnvironment.Set(Variable, SafeCap);
        return new OneDnnIsaSetting(SafeCap, OneDnnIsaOrigin.Toolkit);
    }
}

/// <summary>What a process runs on libtorch, which decides oneDNN's instruction-set cap (<see cref="OneDnnIsa"/>).</summary>
public enum TorchWorkload
{
    /// <summary>Anything, training included: the safe default, capped at AVX2 on CPUs with AVX-512.</summary>
    Training,
    /// <summary>Only <see cref="Models.InferenceModel"/> (eval, predict, streaming): no cap.</summary>
    Inference,
}

/// <summary>Who chose oneDNN's instruction-set cap.</summary>
public enum OneDnnIsaOrigin
{
    /// <summary>No cap: the CPU has no AVX-512, the workload is inference, or the platform is not Linux.</summary>
    Default,
    /// <summary>The user's <c>ONEDNN_MAX_CPU_ISA</c> (or <c>DNNL_MAX_CPU_ISA</c>), left as it was.</summary>
    User,
    /// <summary>This toolkit's <see cref="OneDnnIsa.SafeCap"/>, on a CPU with AVX-512.</summary>
    Toolkit,
}

/// <summary>oneDNN's instruction-set cap for this process: <paramref name="Cap"/> is null where none is set.</summary>
public sealed record OneDnnIsaSetting(string? Cap, OneDnnIsaOrigin Origin);

/// <summary>
/// The C library's environment, which native code reads. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only the managed copy on Linux, so libtorch would not see it.
/// </summary>
internal static class NativeEnvironment
{
    public static string? Get(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    public static void Unset(string name) => _ = UnsetEnv(name);

    public static void Set(string name, string value)
    {
        if (SetEnv(name, value, 1) != 0)
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "unsetenv")]
    private static extern int UnsetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
