using System.Text;
using TfCrnn.Native;
using TorchSharp;

namespace TfCrnn.Tests.Native;

public class TorchNativeLoaderTests
{
    private static string SystemLibStdCxx() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" }.First(File.Exists);

    [Fact]
    public void TorchRunsAfterLoading()
    {
        var outcome = TorchNativeLoader.EnsureLoaded();
        Assert.Contains(outcome.Kind, new[] { NativeLoadKind.NotNeeded, NativeLoadKind.Patched });
        using var sum = torch.arange(4, dtype: torch.float32).sum();
        Assert.Equal(6f, sum.item<float>());
    }

    [Fact]
    public void PatchesOnlyWhenTheSystemLibStdCxxLacksTheVersion()
    {
        var libstdcxx = SystemLibStdCxx();
        var systemHasIt = ElfVersionPatcher.DefinedVersionStrings(File.ReadAllBytes(libstdcxx)).Contains("GLIBCXX_3.4.32");
        var outcome = TorchNativeLoader.EnsureLoaded();
        Assert.Equal(systemHasIt ? NativeLoadKind.NotNeeded : NativeLoadKind.Patched, outcome.Kind);
        if (outcome.Kind == NativeLoadKind.Patched)
        {
            // The original is untouched; the copy no longer asks for the missing version.
            Assert.Contains("GLIBCXX_3.4.32", Encoding.ASCII.GetString(File.ReadAllBytes(outcome.Original!)));
            Assert.True(File.Exists(outcome.PatchedCopy));
            Assert.NotEqual(Path.GetDirectoryName(outcome.Original), Path.GetDirectoryName(outcome.PatchedCopy));
        }
    }

    [Fact]
    public void RetargetsTheMissingVersionToOneTheSystemDefines()
    {
        var original = TorchNativeLoader.EnsureLoaded().Original;
        Assert.NotNull(original);
        // What Debian 12's libstdc++ defines, whatever this machine's does: up to GLIBCXX_3.4.30, so the patch is always exercised.
        var available = ElfVersionPatcher.DefinedVersionStrings(File.ReadAllBytes(SystemLibStdCxx()))
            .Where(v => !v.StartsWith("GLIBCXX_3.4.3", StringComparison.Ordinal) || v is "GLIBCXX_3.4.30" or "GLIBCXX_3.4.3")
            .ToHashSet();
        Assert.Contains("GLIBCXX_3.4.21", available);
        var bytes = File.ReadAllBytes(original!);
        var before = ElfVersionPatcher.NeededVersions(bytes).Where(v => v.File == "libstdc++.so.6").ToList();

        var missing = ElfVersionPatcher.RetargetMissingVersions(bytes, "libstdc++.so.6", available);

        Assert.Equal(["GLIBCXX_3.4.32"], missing);
        var after = ElfVersionPatcher.NeededVersions(bytes).Where(v => v.File == "libstdc++.so.6").ToList();
        Assert.Equal(before.Count, after.Count);
        // The record now names (and hashes) the newest version the library needs anyway that the system defines.
        var newest = before.Select(v => v.Name).Where(available.Contains).Where(n => n.StartsWith("GLIBCXX_", StringComparison.Ordinal))
            .OrderByDescending(n => new Version(n["GLIBCXX_".Length..])).First();
        var patched = after[before.FindIndex(v => v.Name == "GLIBCXX_3.4.32")];
        Assert.Equal((newest, ElfVersionPatcher.ElfHash(newest)), (patched.Name, patched.Hash));
        Assert.All(after, v => Assert.Contains(v.Name, available));
        Assert.Empty(ElfVersionPatcher.RetargetMissingVersions(bytes, "libstdc++.so.6", available)); // nothing left to fix
    }

    [Fact]
    public void ElfHashEqualsTheHashesTheLinkerWrote()
    {
        // Every needed-version record carries the linker's hash of its name.
        var original = TorchNativeLoader.EnsureLoaded().Original!;
        var needed = ElfVersionPatcher.NeededVersions(File.ReadAllBytes(original));
        Assert.Contains(needed, v => v.Name == "GLIBCXX_3.4.32");
        Assert.All(needed, v => Assert.Equal(v.Hash, ElfVersionPatcher.ElfHash(v.Name)));
    }
}
