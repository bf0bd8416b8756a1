using System.Diagnostics;
using System.Text.Json;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Synthesis;
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
    };

    [Fact]
    public async Task WritesASpeechCommandsLayoutThatDataStatsReadsBack()
    {
        using var folder = new TempDirectory("synth");
        var output = folder.Combine("set");

        var result = await DatasetSynthesizer.RunAsync(Options(output));

        Assert.Equal(new SynthesisResult(Clips: 8, Speakers: 3, Train: 4, Valid: 2, Test: 2), result);
        var files = Directory.GetFiles(output, "*.wav", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(output, f).Replace('\\', '/')).Order().ToList();
        Assert.Equal(8, files.Count);
        Assert.All(files, f => Assert.Matches(@"^(bed|zero)/[0-9a-f]{8}_nohash_[01]\.wav$", f));
        foreach (var file in files)
        {
            var audio = WavFile.Read(Path.Combine(output, file));
            Assert.Equal((16000, 1, 16000), (audio.SampleRate, audio.ChannelCount, audio.Length));
            Assert.True(audio.Channels[0].Max(Math.Abs) > 0.05f, $"{file} is silent");
        }
        // Lists agree with the hash rule, so every speaker stays in one split.
        var validation = File.ReadAllLines(Path.Combine(output, "validation_list.txt"));
        Assert.Equal(files.Where(f => SplitRule.Of(f) == Split.Valid), validation);

        var json = await CliProcess.SucceedAsync("data", "stats", "--data", output, "--json");
        using var stats = JsonDocument.Parse(json);
        var splits = stats.RootElement.GetProperty("splits");
        Assert.Equal(4, splits.GetProperty("train").GetProperty("clips").GetInt32());
        Assert.Equal(2, splits.GetProperty("valid").GetProperty("clips").GetInt32());
        Assert.Equal(2, splits.GetProperty("test").GetProperty("clips").GetInt32());
        Assert.Equal(2, splits.GetProperty("train").GetProperty("labels").GetProperty("bed").GetInt32());
        Assert.Equal(0, stats.RootElement.GetProperty("short_clips").GetInt32());
        Assert.Equal(2, stats.RootElement.GetProperty("labels").GetInt32());
    }

    [Fact]
    public async Task TheSameSeedWritesTheSameFiles()
    {
        using var folder = new TempDirectory("synth");
        await DatasetSynthesizer.RunAsync(Options(folder.Combine("a")) with { Threads = 1 });
        await DatasetSynthesizer.RunAsync(Options(folder.Combine("b")) with { Threads = 2 });
        await DatasetSynthesizer.RunAsync(Options(folder.Combine("c"), seed: 6));

        string[] Files(string set) => Directory.GetFiles(folder.Combine(set), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder.Combine(set), f)).Order().ToArray();
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
    public async Task RejectsBadOptionsWithAMessage()
    {
        using var folder = new TempDirectory("synth");
        var zero = await Assert.ThrowsAsync<TfCrnnException>(() => DatasetSynthesizer.RunAsync(Options(folder.Path) with { ClipsPerWord = 0 }));
        Assert.Contains("got 0 clips per word", zero.Message);
        var word = await Assert.ThrowsAsync<TfCrnnException>(() => DatasetSynthesizer.RunAsync(Options(folder.Path) with { Words = ["bed", "hello"] }));
        Assert.Equal("cannot synthesise 'hello': not one of the 35 Speech Commands words", word.Message);
    }

    [Fact]
    public void SpeakersCoverEverySplitFromThreeOn()
    {
        var speakers = SyntheticSpeaker.Draw(30, seed: 0);
        Assert.Equal(30, speakers.Select(s => s.Id).Distinct().Count());
        Assert.Equal([Split.Train, Split.Valid, Split.Test], speakers.Take(3).Select(s => s.Split));
        Assert.Equal(24, speakers.Count(s => s.Split == Split.Train));
        Assert.Equal(3, speakers.Count(s => s.Split == Split.Valid));
        Assert.True(speakers.Select(s => s.Voice).Distinct().Count() > 3);
    }

    [Fact]
    public void PlacesTrimmedSpeechInsideOneSecond()
    {
        var speech = Enumerable.Repeat(0.5f, 3000).ToArray();
        float[] padded = [0f, 0.001f, .. speech, 0f];
        Assert.Equal(speech, DatasetSynthesizer.Trim(padded));
        Assert.Equal([0.45f, -0.9f], DatasetSynthesizer.Trim([0f, 0.6f, -1.2f, 0f]));

        var clip = DatasetSynthesizer.PlaceInSecond(speech, new Random(1), noise: 0);
        Assert.Equal(16000, clip.Length);
        Assert.Equal(3000, clip.Count(s => s == 0.5f));
        var start = Array.IndexOf(clip, 0.5f);
        Assert.Equal(speech, clip[start..(start + 3000)]);
        Assert.Equal(16000, DatasetSynthesizer.PlaceInSecond(new float[20000], new Random(1), 0.01).Length);
    }
}
