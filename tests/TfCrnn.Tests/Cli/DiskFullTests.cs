using System.Security.Cryptography;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// The disk fills while <c>tfcrnn</c> writes a checkpoint, the clip cache or an export, on a small tmpfs mounted for
/// the test: one <c>error:</c> line, exit status 2, what was saved before intact, no half-written file left, and the
/// same command working once there is room again.
/// </summary>
public sealed class DiskFullTests
{
    private const string Full = "No space left on device";

    [SkippableFact]
    public async Task ACheckpointThatDoesNotFitLeavesThePreviousOneAndResumeContinuesOnceThereIsRoom()
    {
        var world = await CliWorld.GetAsync();
        using var disk = SmallFileSystem.MountOrSkip(64);
        var run = Path.Combine(disk.Path, "run");
        string[] train = ["train", "--data", world.Data, "--model", "tfcrnn-se", "--out", run, "--seed", "1", "--width", "8",
            "--batch-size", "8", "--threads", "1"];
        (await CliRun.RunAsync([.. train, "--max-epochs", "1"])).Succeeded();
        var saved = Hashes(run, "best", "last");
        var checkpointBytes = new DirectoryInfo(Path.Combine(run, "last")).EnumerateFiles().Sum(f => f.Length);

        // Room for the metrics and event lines of an epoch, not for a checkpoint.
        disk.Fill(checkpointBytes / 2);
        var resumed = await CliRun.RunAsync([.. train, "--resume", "--max-epochs", "2"]);
        Assert.Contains(Full, resumed.FailedWith(2));
        Assert.Equal(saved, Hashes(run, "best", "last"));
        Assert.Empty(Directory.GetDirectories(run, "*.tmp-*"));

        disk.Free();
        (await CliRun.RunAsync([.. train, "--resume", "--max-epochs", "2"])).Succeeded();
        Assert.Equal([1, 2], new RunFolder(run).ReadMetrics().Select(m => m.Epoch));
    }

    [SkippableFact]
    public async Task AClipCacheThatDoesNotFitIsNotLeftHalfWrittenAndIsBuiltOnceThereIsRoom()
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        var wavBytes = Directory.EnumerateFiles(tones.Path, "*.wav", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        using var disk = SmallFileSystem.MountOrSkip((int)(4 * wavBytes >> 20) + 2);
        var data = Path.Combine(disk.Path, "data");
        Copy(tones.Path, data);
        var cache = Path.Combine(data, ".tfcrnn-cache");

        // Room for half the clips' samples.
        disk.Fill(wavBytes / 2);
        Assert.Contains(Full, (await CliRun.RunAsync(["data", "stats", "--data", data])).FailedWith(2));
        Assert.Empty(Directory.Exists(cache) ? Directory.GetFiles(cache).Select(Path.GetFileName) : []);

        disk.Free();
        var json = (await CliRun.RunAsync(["data", "stats", "--data", data, "--json"])).Succeeded().Json();
        Assert.Equal(12 * ToneDataset.Words.Length, json["splits"]!.AsObject().Sum(s => (int)s.Value!["clips"]!));
        CachedClipsEqualTheirFiles(data);
    }

    [SkippableFact]
    public async Task AnExportThatDoesNotFitLeavesNoModelFileAndWorksOnceThereIsRoom()
    {
        var world = await CliWorld.GetAsync();
        using var disk = SmallFileSystem.MountOrSkip(16);
        var export = Path.Combine(disk.Path, "export");

        disk.Fill(16 << 10);
        Assert.Contains(Full, (await CliRun.RunAsync(["export", "--checkpoint", world.Candidate, "--out", export])).FailedWith(2));
        Assert.Empty(Directory.Exists(export) ? Directory.GetFiles(export, "*.onnx*") : []);

        disk.Free();
        (await CliRun.RunAsync(["export", "--checkpoint", world.Candidate, "--out", export])).Succeeded();
        Assert.Equal(["clip.onnx", "step.onnx"], Directory.GetFiles(export, "*.onnx").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>Every clip read through the cache has the samples of its WAV file (a half-written cache would not).</summary>
    internal static void CachedClipsEqualTheirFiles(string data)
    {
        using var cached = SpeechCommandsDataset.Open(data);
        Assert.NotNull(cached.CacheDirectory);
        foreach (var clip in cached.AllClips)
            Assert.Equal(WavFile.Read(Path.Combine(data, clip.RelativePath)).FirstChannel(), cached.ReadSamples(clip));
    }

    /// <summary>SHA-256 of every file in the named subfolders, by path relative to <paramref name="folder"/>.</summary>
    private static Dictionary<string, string> Hashes(string folder, params string[] subfolders) =>
        subfolders.SelectMany(s => Directory.EnumerateFiles(Path.Combine(folder, s)))
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
