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
        var libstdcxx = SystemLibStdCxx();
        var original = TorchNativeLoader.EnsureLoaded().Original;
        Assert.NotNull(original);
        var available = ElfVersionPatcher.DefinedVersionStrings(File.ReadAllBytes(libstdcxx));
        Assert.Contains("GLIBCXX_3.4.21", available);
        var bytes = File.ReadAllBytes(original!);
        var missing = ElfVersionPatcher.RetargetMissingVersions(bytes, "libstdc++.so.6", available);
        var withoutMissing = ElfVersionPatcher.RetargetMissingVersions(bytes, "libstdc++.so.6", available);
        Assert.Equal(available.Contains("GLIBCXX_3.4.32") ? [] : ["GLIBCXX_3.4.32"], missing);
        Assert.Empty(withoutMissing); // a second pass finds nothing left to fix
        Assert.All(ElfVersionPatcher.NeededVersions(bytes), v => Assert.Equal(v.Hash, ElfVersionPatcher.ElfHash(v.Name)));
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
