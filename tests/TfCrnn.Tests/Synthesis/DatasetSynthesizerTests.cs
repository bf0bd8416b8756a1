using System.Text.Json;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Synthesis;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Synthesis;

public class DatasetSynthesizerTests
{
    private static SynthesisOptions Options(string output, int seed = 5) => new()
    {
        OutputDirectory = output,
        ClipsPerWord = 4,
        Seed = seed,
        Words = ["bed", "zero"],
        NonKeywordWords = 2,
        NonKeywordClipsPerWord = 2,
        BackgroundNoiseSeconds = 1,
    };

    [Fact]
    public async Task WritesASpeechCommandsLayoutThatDataStatsReadsBack()
    {
        using var folder = new TempDirectory("synth");
        var output = folder.Combine("set");

        var result = await DatasetSynthesizer.RunAsync(Options(output));

        // Per command: train, valid, test, train; the two non-keywords continue one pattern: train, valid | test, train.
        Assert.Equal((12, 4, 6, 3, 3, 6, 0), (result.Clips, result.NonKeywordClips, result.Train, result.Valid, result.Test, result.NoiseFiles, result.HeldOut));
        var files = Directory.GetFiles(output, "*.wav", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        var clips = files.Where(f => !f.StartsWith("_background_noise_/", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, clips.Count);
        Assert.All(clips, f => Assert.Matches(@"^(bed|zero|bet|bad)/[0-9a-f]{8}_nohash_\d\.wav$", f));
        Assert.Equal(2, clips.Count(f => f.StartsWith("bet/", StringComparison.Ordinal)));
        foreach (var file in clips)
        {
            var audio = WavFile.Read(Path.Combine(output, file));
            Assert.Equal((16000, 1, 16000), (audio.SampleRate, audio.ChannelCount, audio.Length));
            Assert.True(audio.Channels[0].Max(Math.Abs) > 0.05f, $"{file} is silent");
        }
        Assert.Equal(BackgroundNoise.Names.Select(n => $"_background_noise_/{n}.wav").Order(StringComparer.Ordinal),
            files.Where(f => f.StartsWith("_background_noise_/", StringComparison.Ordinal)));
        foreach (var name in BackgroundNoise.Names)
        {
            var noise = WavFile.Read(Path.Combine(output, BackgroundNoise.Folder, name + ".wav"));
            Assert.Equal((16000, 1, 16000), (noise.SampleRate, noise.ChannelCount, noise.Length));
            Assert.InRange(Mixing.Rms(noise.Channels[0]), 0.099, 0.101);
        }
        // Lists agree with the hash rule, and each voice configuration speaks in one split only.
        var validation = File.ReadAllLines(Path.Combine(output, "validation_list.txt"));
        var testing = File.ReadAllLines(Path.Combine(output, "testing_list.txt"));
        Assert.Equal(clips.Where(f => SplitRule.Of(f) == Split.Valid), validation);
        Assert.Equal(clips.Where(f => SplitRule.Of(f) == Split.Test), testing);
        var voices = File.ReadAllLines(Path.Combine(output, DatasetSynthesizer.VoicesFile));
        Assert.Equal("voice,variant,speaker_id,split,held_out,clips", voices[0]);
        var rows = voices.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows.Count, rows.Select(r => r[0] + "+" + r[1]).Distinct().Count());
        Assert.Equal(12, rows.Sum(r => int.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(rows, r => Assert.Equal("no", r[4]));
        Assert.All(rows, r => Assert.Equal(SplitRule.Of(r[2]).ToString().ToLowerInvariant(), r[3]));
        // ReadSpeakers reads the file back: the same configurations and clip counts.
        Assert.Equal(rows.Select(r => (new VoiceConfiguration(r[0], r[1]), int.Parse(r[5], System.Globalization.CultureInfo.InvariantCulture))),
            DatasetSynthesizer.ReadSpeakers(output)!);

        using var stats = JsonDocument.Parse(await CliRun.SucceedAsync("data", "stats", "--data", output, "--json"));
        Assert.Equal(0, stats.RootElement.GetProperty("short_clips").GetInt32());
        var splits = stats.RootElement.GetProperty("splits");
        Assert.Equal(2, splits.GetProperty("train").GetProperty("labels").GetProperty("bed").GetInt32());
        Assert.Equal(1, splits.GetProperty("test").GetProperty("labels").GetProperty("zero").GetInt32());
    }

    [Fact]
    public async Task TheSameSeedWritesTheSameFiles()
    {
        using var folder = new TempDirectory("synth");
        await DatasetSynthesizer.RunAsync(Options(folder.Combine("a")) with { Threads = 1 });
        await DatasetSynthesizer.RunAsync(Options(folder.Combine("b")) with { Threads = 2 });
        await DatasetSynthesizer.RunAsync(Options(folder.Combine("c"), seed: 6));

        string[] Files(string set) => Directory.GetFiles(folder.Combine(set), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder.Combine(set), f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Files("a"), Files("b"));
        foreach (var file in Files("a"))
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder.Combine("a"), file)), File.ReadAllBytes(Path.Combine(folder.Combine("b"), file)));
        Assert.NotEqual(Files("a"), Files("c"));
    }

    [Fact]
    public async Task MissingEspeakGivesTheInstallCommand()
    {
        using var folder = new TempDirectory("synth");
        var error = await Assert.ThrowsAsync<TfCrnnException>(() =>
            DatasetSynthesizer.RunAsync(Options(folder.Path) with { Espeak = "/nonexistent/espeak-ng" }));
        Assert.Equal("espeak-ng not found; install it with: sudo apt-get install espeak-ng", error.Message);
    }

    [Fact]
    public void RejectsBadOptionsWithAMessage()
    {
        var options = Options("out");
        Assert.Equal("--clips-per-word must be at least 1, got 0",
            Assert.ThrowsAny<TfCrnnException>(() => (options with { ClipsPerWord = 0 }).Validate()).Message);
        Assert.Equal("words 'hello' is not one of the 35 Speech Commands words",
            Assert.ThrowsAny<TfCrnnException>(() => (options with { Words = ["bed", "hello"] }).Validate()).Message);
        Assert.StartsWith($"--non-keyword-words must be between 0 and {Vocabulary.NonKeywords.Count}, got -1",
            Assert.ThrowsAny<TfCrnnException>(() => (options with { NonKeywordWords = -1 }).Validate()).Message);
        Assert.StartsWith("unknown variant 'm99'",
            Assert.ThrowsAny<TfCrnnException>(() => (options with { Variants = ["m1", "m99"] }).Validate()).Message);
    }

    [Fact]
    public async Task TheCliRejectsBadInputWithOneErrorLine()
    {
        using var folder = new TempDirectory("synth");
        Assert.Equal("error: --clips-per-word must be at least 1, got 0", await CliRun.FailAsync("synth", "--out", folder.Path, "--clips-per-word", "0"));
        Assert.Equal("error: --minutes needs --stream", await CliRun.FailAsync("synth", "--out", folder.Path, "--minutes", "3"));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    /// <summary>The library checks which mode the options of <c>tfcrnn synth</c> belong to, for every front end.</summary>
    [Fact]
    public void EachModeRefusesTheOtherModesOptions()
    {
        StreamSynthesisOptions.CheckMode(stream: false, ["--out", "--seed", "--voices", .. SynthesisOptions.DatasetOnly]);
        StreamSynthesisOptions.CheckMode(stream: true, ["--out", "--seed", "--voices", .. StreamSynthesisOptions.StreamOnly]);
        Assert.Equal("--split needs --stream",
            Assert.Throws<OptionException>(() => StreamSynthesisOptions.CheckMode(stream: false, ["--seed", "--split"])).Message);
        Assert.Equal("--held-out-out applies to a dataset, not to --stream",
            Assert.Throws<OptionException>(() => StreamSynthesisOptions.CheckMode(stream: true, ["--held-out-out"])).Message);
        Assert.Empty(SynthesisOptions.DatasetOnly.Intersect(StreamSynthesisOptions.StreamOnly));
    }

    [Fact]
    public void AVoiceConfigurationNeverCrossesSplits()
    {
        var configurations = VoiceCatalog.Configurations();
        var splits = new SpeakerSplits(configurations, _ => false);
        var pools = Enum.GetValues<Split>().ToDictionary(s => s, splits.In);
        Assert.Equal(configurations.Count, pools.Values.Sum(p => p.Count));
        Assert.Equal(configurations.Count, pools.Values.SelectMany(p => p).Distinct().Count());
        var tenth = (configurations.Count + 9) / 10;
        Assert.Equal((tenth, tenth), (pools[Split.Valid].Count, pools[Split.Test].Count));
        foreach (var (split, pool) in pools)
            Assert.All(pool, c => Assert.Equal((split, split), (splits.SplitOf(c), SplitRule.Of(splits.IdOf(c)))));
        // Seed-independent and the same for every clip: speed and pitch are not part of a speaker.
        Assert.Equal(splits.In(Split.Test), new SpeakerSplits(configurations.Reverse(), _ => false).In(Split.Test));
        Assert.Throws<TfCrnnException>(() => new SpeakerSplits(configurations.Take(2), _ => false));
    }

    private static SynthesisOptions HoldingOut(string output) => Options(output) with
    {
        ClipsPerWord = 10,
        BackgroundNoiseSeconds = 0,
        Voices = ["en", "en-us", "de"],
        Variants = ["m1", "f1", "klatt", "whisper"],
        HoldOutVoices = ["de"],
        HoldOutVariants = ["klatt"],
        HeldOutClipsPerWord = 3,
    };

    /// <summary>The rows of a dataset's voices.csv by speaker id.</summary>
    internal static Dictionary<string, string[]> VoiceRows(string dataset) =>
        File.ReadAllLines(Path.Combine(dataset, DatasetSynthesizer.VoicesFile)).Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[2]);

    internal static string SpeakerOf(string clip) => Path.GetFileName(clip)[..8];

    [Fact]
    public async Task AHeldOutVoiceOrVariantNeverSpeaksInTrainOrValidation()
    {
        using var folder = new TempDirectory("synth");
        var output = folder.Combine("set");

        var result = await DatasetSynthesizer.RunAsync(HoldingOut(output));

        // 2 commands × 3 held-out clips, and one of each non-keyword's (2 × 3 / 10, at least 1).
        Assert.Equal(8, result.HeldOut);
        // 24 clips of the other voices (3 in test) and the 8 held-out ones, all in test.
        Assert.Equal((32, 3, 11), (result.Clips, result.Valid, result.Test));
        var voices = VoiceRows(output);
        var heldOut = voices.Where(v => v.Value[0] == "de" || v.Value[1] == "klatt").Select(v => v.Key).ToHashSet();
        Assert.All(voices, v => Assert.Equal(heldOut.Contains(v.Key) ? "yes" : "no", v.Value[4]));
        Assert.Equal(8, heldOut.Sum(id => int.Parse(voices[id][5], System.Globalization.CultureInfo.InvariantCulture)));
        var testing = File.ReadAllLines(Path.Combine(output, "testing_list.txt")).ToHashSet();
        var clips = Directory.GetFiles(output, "*.wav", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f).Replace('\\', '/')).ToList();
        Assert.All(clips.Where(c => heldOut.Contains(SpeakerOf(c))), c => Assert.Contains(c, testing));
        Assert.All(clips.Where(c => !testing.Contains(c)), c => Assert.DoesNotContain(SpeakerOf(c), heldOut));
    }

    [Fact]
    public async Task HeldOutClipsCanFormADatasetOfTheirOwn()
    {
        using var folder = new TempDirectory("synth");
        var options = HoldingOut(folder.Combine("set")) with { HeldOutOutputDirectory = folder.Combine("held-out") };

        var result = await DatasetSynthesizer.RunAsync(options);

        Assert.Equal((8, 24, 3, 3), (result.HeldOut, result.Clips, result.Valid, result.Test));
        var main = VoiceRows(folder.Combine("set"));
        var separate = VoiceRows(folder.Combine("held-out"));
        Assert.All(main.Values, v => Assert.True(v[0] != "de" && v[1] != "klatt" && v[4] == "no"));
        Assert.All(separate.Values, v => Assert.True((v[0] == "de" || v[1] == "klatt") && v[4] == "yes" && v[3] == "test"));
        var heldOutClips = Directory.GetFiles(folder.Combine("held-out"), "*.wav", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder.Combine("held-out"), f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(8, heldOutClips.Count);
        Assert.Equal(heldOutClips, File.ReadAllLines(folder.Combine("held-out", "testing_list.txt")));
        Assert.Empty(File.ReadAllLines(folder.Combine("held-out", "validation_list.txt")));
        Assert.DoesNotContain(Directory.GetFiles(folder.Combine("set"), "*.wav", SearchOption.AllDirectories), f => separate.ContainsKey(SpeakerOf(f)));
    }

    [Fact]
    public void HoldOutOptionsAreChecked()
    {
        var options = HoldingOut("out");
        string Error(SynthesisOptions bad) => Assert.ThrowsAny<TfCrnnException>(() => bad.Validate()).Message;
        Assert.StartsWith("no voice configuration is held out", Error(options with { HoldOutVoices = ["en-gb-scotland"], HoldOutVariants = null }));
        Assert.StartsWith("unknown variant 'klatt9'", Error(options with { HoldOutVariants = ["klatt9"] }));
        Assert.Equal("--held-out-out needs --hold-out-voices or --hold-out-variants",
            Error(options with { HoldOutVoices = null, HoldOutVariants = null, HeldOutOutputDirectory = "other" }));
        Assert.StartsWith("--held-out-out must be another folder", Error(options with { HeldOutOutputDirectory = "out" }));
        // Over the whole catalogue too, held-out configurations sit in no pool of train, valid or test.
        var splits = new SpeakerSplits(VoiceCatalog.Configurations(), c => c.Voice == "en-gb-scotland" || c.Variant == "klatt3");
        // The other engines' voices have no klatt3 (their variants are pitches).
        Assert.Equal(VoiceCatalog.Variants.Count + VoiceCatalog.InstalledVoices().Count(v => VoiceCatalog.EngineOf(v) is null) - 1, splits.HeldOut.Count);
        Assert.All(Enum.GetValues<Split>().SelectMany(splits.In), c => Assert.True(c.Voice != "en-gb-scotland" && c.Variant != "klatt3"));
    }

    [Fact]
    public void PlacesTrimmedSpeechInsideOneSecond()
    {
        var speech = Enumerable.Repeat(0.5f, 3000).ToArray();
        float[] padded = [0f, 0.001f, .. speech, 0f];
        Assert.Equal(speech, VoiceSpeaker.Trim(padded));
        Assert.Equal([0.6f, -1.2f], VoiceSpeaker.Trim([0f, 0.6f, -1.2f, 0f]));

        var clip = DatasetSynthesizer.PlaceInSecond(speech, new Random(1), noise: 0);
        Assert.Equal(16000, clip.Length);
        Assert.Equal(3000, clip.Count(s => s == 0.5f));
        var start = Array.IndexOf(clip, 0.5f);
        Assert.Equal(speech, clip[start..(start + 3000)]);
        Assert.Equal(16000, DatasetSynthesizer.PlaceInSecond(new float[20000], new Random(1), 0.01).Length);
    }
}
