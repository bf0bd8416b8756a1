using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TfCrnn.Native;

/// <summary>
/// Makes TorchSharp's native library load on systems whose libstdc++ is older than the one it
/// was built against (Debian 12: GCC 12's libstdc++ lacks <c>GLIBCXX_3.4.32</c>, which
/// libLibTorchSharp.so of TorchSharp 0.107.0 asks for only as an unused marker).
/// When the original loads, nothing is done. Otherwise a copy whose missing version needs are
/// retargeted to a version the system has is written to a per-user cache (the original is never
/// touched) and handed to TorchSharp through a DllImport resolver.
/// </summary>
public static class TorchNativeLoader
{
    private const string LibraryName = "LibTorchSharp";
    private const string FileName = "libLibTorchSharp.so";
    private static readonly object Gate = new();
    private static NativeLoadOutcome? outcome;

    // Library users who touch any TfCrnn type first get a working torch without a call of their own. It has to be
    // loaded before TorchSharp's first call: TorchSharp finds the patched copy only as a library already loaded.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void InitializeModule() => EnsureLoaded();

    /// <summary>
    /// Loads libtorch, idempotently; call before the first use of <c>torch</c>. On a CPU with AVX-512 it caps oneDNN
    /// for <see cref="TorchWorkload.Training"/> until <see cref="PlanWorkload"/> says otherwise (<see cref="OneDnnIsa"/>).
    /// </summary>
    public static NativeLoadOutcome EnsureLoaded()
    {
        lock (Gate)
        {
            outcome ??= Load();
            return outcome;
        }
    }

    /// <summary>
    /// Sets oneDNN's instruction-set cap for what this process will run. oneDNN reads the cap once, at its first
    /// primitive: call this before the first tensor operation; afterwards it changes nothing that runs.
    /// </summary>
    public static NativeLoadOutcome PlanWorkload(TorchWorkload workload)
    {
        lock (Gate)
        {
            outcome = EnsureLoaded() with { OneDnnIsa = OneDnnIsa.Apply(CpuInfo.Current, workload) };
            return outcome;
        }
    }

    private static NativeLoadOutcome Load()
    {
        NativeHeap.RetainFreedMemory();
        var isa = OneDnnIsa.Apply(CpuInfo.Current, TorchWorkload.Training);
        if (!OperatingSystem.IsLinux())
            return new NativeLoadOutcome(NativeLoadKind.NotNeeded, null, null, isa);
        var original = FindOriginal();
        if (original is null)
            return new NativeLoadOutcome(NativeLoadKind.NotFound, null, null, isa);
        var directory = Path.GetDirectoryName(original)!;
        if (NativeLibrary.TryLoad(original, out _))
            return Loaded(new NativeLoadOutcome(NativeLoadKind.NotNeeded, original, null, isa), directory);

        var systemLibStdCxx = FindSystemLibStdCxx();
        var bytes = File.ReadAllBytes(original);
        var cacheKey = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var available = systemLibStdCxx is null ? null : ElfVersionPatcher.DefinedVersionStrings(File.ReadAllBytes(systemLibStdCxx));
        var retargeted = ElfVersionPatcher.RetargetMissingVersions(bytes, "libstdc++.so.6", available);
        if (retargeted.Count == 0)
            return new NativeLoadOutcome(NativeLoadKind.Failed, original, null, isa);

        var patched = WritePatchedCopy(cacheKey, bytes);
        // The copy lives elsewhere, so its $ORIGIN run path no longer finds libtorch: preload it.
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            var path = Path.Combine(directory, dependency);
            if (File.Exists(path))
                NativeLibrary.Load(path);
        }
        var handle = NativeLibrary.Load(patched);
        NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly, (name, _, _) =>
            name == LibraryName ? handle : IntPtr.Zero);
        return Loaded(new NativeLoadOutcome(NativeLoadKind.Patched, original, patched, isa), directory);
    }

    private static NativeLoadOutcome Loaded(NativeLoadOutcome outcome, string directory)
    {
        LibTorchContext.DisableNnpack(Path.Combine(directory, "libtorch_cpu.so"));
        return outcome;
    }

    private static string? FindOriginal()
    {
        var baseDir = AppContext.BaseDirectory;
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var torchSharpDir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location) ?? baseDir;
        var candidates = new[]
        {
            Path.Combine(baseDir, "runtimes", rid, "native", FileName),
            Path.Combine(baseDir, FileName),
            Path.Combine(torchSharpDir, "runtimes", rid, "native", FileName),
            Path.Combine(torchSharpDir, FileName),
        };
        return candidates.FirstOrDefault(File.Exists);
    }

    private static string? FindSystemLibStdCxx()
    {
        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <param name="key">Hash of the original library, so that each TorchSharp version gets its own copy.</param>
    private static string WritePatchedCopy(string key, byte[] patchedBytes)
    {
        foreach (var root in CacheRoots())
        {
            try
            {
                var directory = Path.Combine(root, "tfcrnn", "native", key);
                var target = Path.Combine(directory, FileName);
                if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(patchedBytes))
                    return target;
                Directory.CreateDirectory(directory);
                var temp = target + "." + Environment.ProcessId + ".tmp";
                File.WriteAllBytes(temp, patchedBytes);
                File.Move(temp, target, overwrite: true);
                return target;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Try the next location.
            }
        }
        throw new IOException("Could not write a patched copy of " + FileName + " to any cache folder.");
    }

    private static IEnumerable<string> CacheRoots()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) yield return xdg;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home)) yield return Path.Combine(home, ".cache");
        yield return Path.GetTempPath();
    }
}

/// <summary>How TorchSharp's native library was made loadable.</summary>
public enum NativeLoadKind
{
    /// <summary>The original library loaded (or the platform needs none of this).</summary>
    NotNeeded,
    /// <summary>A copy with retargeted version needs was written to the cache and loaded.</summary>
    Patched,
    /// <summary>No LibTorchSharp beside the program or TorchSharp.</summary>
    NotFound,
    /// <summary>The original did not load and no version could be retargeted.</summary>
    Failed,
}

/// <summary>Result of <see cref="TorchNativeLoader.EnsureLoaded"/>.</summary>
/// <param name="OneDnnIsa">oneDNN's instruction-set cap (<see cref="Native.OneDnnIsa"/>).</param>
public sealed record NativeLoadOutcome(NativeLoadKind Kind, string? Original, string? PatchedCopy, OneDnnIsaSetting OneDnnIsa);
