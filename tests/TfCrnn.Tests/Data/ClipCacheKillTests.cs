using System.Diagnostics;
using TfCrnn.Audio;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Data;

/// <summary>
/// <c>kill -9</c> while <c>tfcrnn data stats</c> builds the clip cache of a dataset that changed since its last cache:
/// the next run does not take the old cache nor the killed build's half, reads every clip as its file has it, and
/// removes what the killed build left.
/// </summary>
public sealed class ClipCacheKillTests
{
    [Fact]
    public async Task ABuildKilledMidWayIsRebuiltFromTheFilesAndLeavesNothingBehind()
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        var data = tones.Path;
        var cache = Path.Combine(data, ".tfcrnn-cache");
        (await CliRun.RunAsync(["data", "stats", "--data", data])).Succeeded();

        // The last clip read becomes a FIFO: the next build blocks on it with every other clip in its pending file.
        var changed = Directory.GetFiles(Path.Combine(data, ToneDataset.Words[^1]), "*.wav").Order(StringComparer.Ordinal).Last();
        File.Delete(changed);
        Assert.Equal(0, (await ChildProcess.RunAsync("mkfifo", [changed])).ExitCode);
        using var build = Process.Start(new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TfCrnn.Cli.dll"), "data", "stats", "--data", data },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var opened = Task.Run(() => new FileStream(changed, FileMode.Open, FileAccess.Write));
        try
        {
            // Opening the FIFO for writing returns once the build has opened it for reading.
            await opened.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Single(Directory.GetFiles(cache, "pending-*.tmp"));
            build.Kill();
            await build.WaitForExitAsync();
            Assert.Equal(137, build.ExitCode);
        }
        finally
        {
            if (!build.HasExited) build.Kill();
            // Unblocks the open above if the build never reached the FIFO.
            using (new FileStream(changed, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.Asynchronous)) { }
            (await opened).Dispose();
        }
        File.Delete(changed);
        WavFile.WritePcm16(changed, ToneDataset.Tone(0, new Random(99)), 16000);

        var json = (await CliRun.RunAsync(["data", "stats", "--data", data, "--json"])).Succeeded().Json();
        Assert.Equal(12 * ToneDataset.Words.Length, json["splits"]!.AsObject().Sum(s => (int)s.Value!["clips"]!));
        DiskFullTests.CachedClipsEqualTheirFiles(data);
        Assert.Empty(Directory.GetFiles(cache, "*.tmp").Select(Path.GetFileName));
    }
}
