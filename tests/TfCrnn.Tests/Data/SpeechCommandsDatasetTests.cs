using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Progress;
using TfCrnn.Runtime;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Data;

public class SpeechCommandsDatasetTests
{
    private static readonly string[] Words = ["bed", "zero", "yes"];
    private static readonly DatasetOptions Direct = new() { UseCache = false };

    private static Dictionary<string, Split> SplitsOf(SpeechCommandsDataset data) =>
        data.AllClips.ToDictionary(c => c.RelativePath, c => c.Split);

    [Fact]
    public void WithoutListsTheHashRuleKeepsEachSpeakerInOneSplit()
    {
        using var folder = new TempDirectory("dataset");
        MiniDataset.Create(folder.Path, Words);

        using var data = SpeechCommandsDataset.Open(folder.Path, Direct);

        Assert.Equal(Words.Length * MiniDataset.Speakers.Length, data.AllClips.Count);
        foreach (var clip in data.AllClips)
        {
            var speaker = clip.RelativePath.Split('/')[1][..8];
            var expected = MiniDataset.ValidSpeakers.Contains(speaker) ? Split.Valid
                : MiniDataset.TestSpeakers.Contains(speaker) ? Split.Test : Split.Train;
            Assert.Equal(expected, clip.Split);
        }
        Assert.Equal(Words.Length * 3, data.Clips(Split.Train).Count);
        Assert.Equal(Words.Length * 2, data.Clips(Split.Valid).Count);
        Assert.Equal(Words.Length * 2, data.Clips(Split.Test).Count);
        Assert.Empty(data.Warnings);
    }

    [Fact]
    public void ListsDecideTheSplitsAndAbsentEntriesGiveOneWarning()
    {
        using var folder = new TempDirectory("dataset");
        MiniDataset.Create(folder.Path, Words);
        // Against the hash rule on purpose: a train speaker listed for validation.
        MiniDataset.WriteLists(folder.Path,
            ["bed/3c6ef362_nohash_0.wav", "bed/gone0000_nohash_0.wav", "", "./zero/3c6ef362_nohash_0.wav"],
            ["yes/00000000_nohash_0.wav", "yes/gone0000_nohash_1.wav", "cat/gone0000_nohash_0.wav"]);

        using var data = SpeechCommandsDataset.Open(folder.Path, Direct);

        Assert.Equal(["bed/3c6ef362_nohash_0.wav", "zero/3c6ef362_nohash_0.wav"], data.Clips(Split.Valid).Select(c => c.RelativePath));
        Assert.Equal(["yes/00000000_nohash_0.wav"], data.Clips(Split.Test).Select(c => c.RelativePath));
        Assert.Equal(Words.Length * MiniDataset.Speakers.Length - 3, data.Clips(Split.Train).Count);
        var warning = Assert.Single(data.Warnings);
        Assert.Contains("3 files named in validation_list.txt or testing_list.txt are absent", warning);
    }

    [Fact]
    public void KeepsEveryWordFolderAndOffersTheBackgroundNoiseButNoRootFiles()
    {
        using var folder = new TempDirectory("dataset");
        MiniDataset.Create(folder.Path, ["backward", "zero"]);
        var noise = Enumerable.Range(0, 40000).Select(i => (i % 50 - 25) / 100f).ToArray();
        WavFile.WritePcm16(folder.Combine("_background_noise_", "white_noise.wav"), noise, 16000);
        WavFile.WritePcm16(folder.Combine("_background_noise_", "low.wav"), new float[8000], 8000);
        File.WriteAllText(folder.Combine("_background_noise_", "README.md"), "not a recording");
        WavFile.WritePcm16(folder.Combine("stray.wav"), new float[100], 16000);
        WavFile.WritePcm16(folder.Combine("unknown", "00000000_nohash_0.wav"), new float[100], 16000);
        File.WriteAllText(folder.Combine("README.md"), "not a clip");

        foreach (var options in new[] { Direct, new DatasetOptions { CacheDirectory = folder.Combine(".cache") } })
        {
            using var data = SpeechCommandsDataset.Open(folder.Path, options);

            Assert.Equal(["backward", "unknown", "zero"], data.AllClips.Select(c => c.Label).Distinct().Order());
            Assert.Empty(data.Warnings);
            // Ordinal order of the names; any rate is resampled to 16 kHz, whole.
            Assert.Equal([16000, 40000], data.BackgroundNoise.Select(r => r.Length));
            Assert.Equal(noise.Select(WavFile.ToPcm16), data.BackgroundNoise[1].Select(WavFile.ToPcm16));
        }
    }

    [Fact]
    public void V001LayoutKeepsThe35LabelIndex()
    {
        // v0.01 has 30 words: none of backward, follow, forward, learn, visual.
        using var folder = new TempDirectory("v001");
        var words = Labels.All.Except(["backward", "follow", "forward", "learn", "visual"]).ToList();
        Assert.Equal(30, words.Count);
        foreach (var word in words)
            WavFile.WritePcm16(folder.Combine(word, "0a7c2a8d_nohash_0.wav"), new float[160], 16000);

        using var data = SpeechCommandsDataset.Open(folder.Path, Direct);

        Assert.Equal(30, data.AllClips.Count);
        Assert.Equal(34, LabelTasks.Commands.Classes.ClassOf(data.AllClips.Single(c => c.Label == "zero").Label));
        Assert.Equal(1, LabelTasks.Commands.Classes.ClassOf(data.AllClips.Single(c => c.Label == "bed").Label));
        Assert.Empty(data.BackgroundNoise);
    }

    [Fact]
    public void ShortAndLongClipsArePaddedOrCutAndOtherRatesAreErrors()
    {
        using var folder = new TempDirectory("lengths");
        WavFile.WritePcm16(folder.Combine("bed", "0a7c2a8d_nohash_0.wav"), MiniDataset.Samples("a", 8000), 16000);
        WavFile.WritePcm16(folder.Combine("bed", "0a7c2a8d_nohash_1.wav"), MiniDataset.Samples("b", 17000), 16000);

        using (var data = SpeechCommandsDataset.Open(folder.Path, Direct))
        {
            Assert.Equal([8000, 16000], data.AllClips.Select(data.SampleCount));
            var padded = data.ReadPreprocessed(data.AllClips[0]);
            Assert.All(padded[..4000], s => Assert.Equal(0f, s));
            Assert.NotEqual(0f, padded[4000]);
            // Training data keeps its first 16,000 samples (docs/reference-implementation.md, "Data").
            var cut = data.ReadSamples(data.AllClips[1]);
            Assert.Equal(MiniDataset.Samples("b", 17000)[..16000].Select(WavFile.ToPcm16), cut.Select(WavFile.ToPcm16));
        }

        var wrongRate = folder.Combine("bed", "0a7c2a8d_nohash_2.wav");
        WavFile.WritePcm16(wrongRate, new float[100], 22050);
        var error = Assert.Throws<DatasetException>(() => SpeechCommandsDataset.Open(folder.Path, new DatasetOptions()));
        Assert.Equal($"{wrongRate}: sample rate 22050 Hz; Speech Commands clips must be 16000 Hz", error.Message);

        // Statistics and other tolerant readers: the clip is left out with a warning naming it.
        foreach (var useCache in new[] { true, false })
        {
            using var tolerant = SpeechCommandsDataset.Open(folder.Path, new DatasetOptions { UseCache = useCache, SkipBadClips = true });
            Assert.Equal(2, tolerant.AllClips.Count);
            Assert.Equal($"{error.Message}; skipped", Assert.Single(tolerant.Warnings));
        }
    }

    [Fact]
    public void BadClipErrorsNameTheFile()
    {
        using var folder = new TempDirectory("bad");
        var path = folder.Combine("bed", "0a7c2a8d_nohash_0.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<AudioFormatException>(() => SpeechCommandsDataset.Open(folder.Path));
        Assert.Equal($"{path}: empty file", error.Message);
        Assert.Throws<DatasetException>(() => SpeechCommandsDataset.Open(folder.Combine("missing")));
        var empty = folder.Combine("empty");
        Directory.CreateDirectory(Path.Combine(empty, "_background_noise_"));
        var none = Assert.Throws<DatasetException>(() => SpeechCommandsDataset.Open(empty, Direct));
        Assert.Equal($"{empty}: no clips found (expected <word>/*.wav, one folder per word)", none.Message);
    }

    [Fact]
    public void ArchiveGivesTheSameClipsAsTheFolder()
    {
        using var folder = new TempDirectory("archive");
        var root = folder.Combine("speech_commands");
        MiniDataset.Create(root, Words);
        MiniDataset.WriteLists(root, ["bed/3c6ef362_nohash_0.wav"], ["yes/00000000_nohash_0.wav"]);
        WavFile.WritePcm16(Path.Combine(root, "_background_noise_", "noise.wav"), new float[10], 16000);
        var archive = folder.Combine("speech_commands_v0.02.tar.gz");
        MiniDataset.Pack(root, archive);

        using var extracted = SpeechCommandsDataset.Open(root, Direct);
        using var packed = SpeechCommandsDataset.Open(archive, new DatasetOptions { CacheDirectory = folder.Combine("cache") });

        Assert.Equal(extracted.AllClips, packed.AllClips);
        foreach (var clip in extracted.AllClips)
            Assert.Equal(extracted.ReadPreprocessed(clip), packed.ReadPreprocessed(clip));
        Assert.Equal(extracted.BackgroundNoise, packed.BackgroundNoise);
        Assert.Equal(10, Assert.Single(packed.BackgroundNoise).Length);
        Assert.Equal(folder.Combine("cache"), packed.CacheDirectory);
    }

    [Fact]
    public void UncachedArchiveUsesATemporaryCacheRemovedOnDispose()
    {
        using var folder = new TempDirectory("archive");
        MiniDataset.Create(folder.Combine("root"), ["bed"]);
        var archive = folder.Combine("speech_commands_v0.01.tar.gz");
        MiniDataset.Pack(folder.Combine("root"), archive);

        string temporary;
        using (var data = SpeechCommandsDataset.Open(archive, Direct))
        {
            Assert.Null(data.CacheDirectory);
            Assert.Equal(MiniDataset.Speakers.Length, data.AllClips.Count);
            temporary = data.TemporaryCacheDirectory!;
            Assert.StartsWith(Path.GetTempPath(), temporary);
            Assert.True(File.Exists(Path.Combine(temporary, "manifest.json")));
        }
        Assert.False(Directory.Exists(temporary));
        Assert.False(Directory.Exists(folder.Combine(".tfcrnn-cache")));
    }

    [Fact]
    public void CorruptArchiveIsADatasetError()
    {
        using var folder = new TempDirectory("archive");
        var archive = folder.Combine("speech_commands_v0.02.tar.gz");
        File.WriteAllBytes(archive, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
        var error = Assert.Throws<DatasetException>(() => SpeechCommandsDataset.Open(archive, new DatasetOptions { CacheDirectory = folder.Combine("c") }));
        Assert.StartsWith($"{archive}: corrupt or truncated archive", error.Message);
    }

    [Fact]
    public void CacheIsReusedUntilTheSourceChanges()
    {
        using var folder = new TempDirectory("cache");
        var paths = MiniDataset.Create(folder.Path, Words);
        var cache = folder.Combine(".tfcrnn-cache");
        var reports = new List<TaskProgress>();
        var progress = new SynchronousProgress<TaskProgress>(reports.Add);

        using (var first = SpeechCommandsDataset.Open(folder.Path, progress: progress))
        {
            Assert.Equal(cache, first.CacheDirectory);
            Assert.Equal(paths.Count, reports.Count(r => r.Task == "reading clips"));
            Assert.Equal(4, Directory.GetFiles(cache, "*.i16").Length); // three splits and the background noise
            using var direct = SpeechCommandsDataset.Open(folder.Path, Direct);
            foreach (var clip in direct.AllClips)
                Assert.Equal(direct.ReadPreprocessed(clip), first.ReadPreprocessed(clip));
        }

        reports.Clear();
        var manifestTime = File.GetLastWriteTimeUtc(Path.Combine(cache, "manifest.json"));
        using (var second = SpeechCommandsDataset.Open(folder.Path, progress: progress))
        {
            Assert.Empty(reports);
            Assert.Equal(paths.Count, second.AllClips.Count);
        }
        Assert.Equal(manifestTime, File.GetLastWriteTimeUtc(Path.Combine(cache, "manifest.json")));

        // A changed clip and a new list: rebuilt, with the new content and splits. The first build's split files are
        // made older than the minute within which a concurrent build's files are left alone.
        foreach (var file in Directory.GetFiles(cache, "*.i16"))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-2));
        var changed = folder.Combine("bed", "3c6ef362_nohash_0.wav");
        WavFile.WritePcm16(changed, new float[1000], 16000);
        MiniDataset.WriteLists(folder.Path, ["bed/3c6ef362_nohash_0.wav"], []);
        using (var third = SpeechCommandsDataset.Open(folder.Path, progress: progress))
        {
            Assert.Equal(paths.Count, reports.Count(r => r.Task == "reading clips"));
            var clip = Assert.Single(third.Clips(Split.Valid));
            Assert.Equal(1000, third.SampleCount(clip));
            Assert.Empty(third.Clips(Split.Test));
        }
        // Old split files are gone, no temp files are left.
        Assert.Equal(4, Directory.GetFiles(cache, "*.i16").Length);
        Assert.Empty(Directory.GetFiles(cache, "*.tmp"));
    }

    [Fact]
    public void DamagedCacheIsRebuilt()
    {
        using var folder = new TempDirectory("cache");
        MiniDataset.Create(folder.Path, ["bed"]);
        var cache = folder.Combine(".tfcrnn-cache");
        using (SpeechCommandsDataset.Open(folder.Path)) { }
        File.WriteAllText(Path.Combine(cache, "manifest.json"), "{ not json");
        using (var data = SpeechCommandsDataset.Open(folder.Path))
            Assert.Equal(MiniDataset.Speakers.Length, data.AllClips.Count);
        foreach (var file in Directory.GetFiles(cache, "*.i16"))
            File.Delete(file);
        using (var data = SpeechCommandsDataset.Open(folder.Path))
            Assert.Equal(MiniDataset.Speakers.Length, data.AllClips.Count);
    }
}

/// <summary>Tests that change the process's environment (XDG_CACHE_HOME) run alone: others open datasets meanwhile.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentTests), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;

[Collection(nameof(ProcessEnvironmentTests))]
public sealed class ProcessEnvironmentTests
{
    [Fact]
    public void UnwritableDatasetFolderFallsBackToTheUserCache()
    {
        using var folder = new TempDirectory("readonly");
        using var home = new TempDirectory("xdg");
        MiniDataset.Create(folder.Path, ["bed"]);
        // A file where the cache folder would go makes the dataset's own place unusable, even for root.
        File.WriteAllText(folder.Combine(".tfcrnn-cache"), "in the way");
        var previous = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", home.Path);
        try
        {
            using var data = SpeechCommandsDataset.Open(folder.Path);
            Assert.StartsWith(Path.Combine(home.Path, "tfcrnn", "datasets") + Path.DirectorySeparatorChar, data.CacheDirectory);
            Assert.True(File.Exists(Path.Combine(data.CacheDirectory!, "manifest.json")));
            Assert.Equal(MiniDataset.Speakers.Length, data.AllClips.Count);
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", previous);
        }
    }
}
