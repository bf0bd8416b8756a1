using System.Globalization;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Synthesis;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Synthesis;

public class StreamSynthesizerTests
{
    private sealed record Row(int Start, int End, string Kind, string Text, string Source);

    private static int Sample(string seconds) => (int)Math.Round(double.Parse(seconds, CultureInfo.InvariantCulture) * 16000);

    private static List<(int Start, int End, string Word)> Labels(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, StreamSynthesizer.LabelsFile));
        Assert.Equal(StreamSynthesizer.LabelsHeader, lines[0]);
        return [.. lines.Skip(1).Select(l => l.Split(',')).Select(p => (Sample(p[0]), Sample(p[1]), p[2]))];
    }

    /// <summary>events.csv; the tests' texts have no commas, so a plain split reads it.</summary>
    private static List<Row> Events(string folder) =>
        [.. File.ReadAllLines(Path.Combine(folder, StreamSynthesizer.EventsFile)).Skip(1).Select(l => l.Split(','))
            .Select(p => new Row(Sample(p[0]), Sample(p[1]), p[2], p[3], p[4]))];

    private static float[] Audio(string folder)
    {
        var audio = WavFile.Read(Path.Combine(folder, StreamSynthesizer.AudioFile));
        Assert.Equal((16000, 1), (audio.SampleRate, audio.ChannelCount));
        return audio.Channels[0];
    }

    [Fact]
    public async Task AnEspeakStreamLabelsTheSpeechOfEachKeywordAndIsDeterministic()
    {
        using var folder = new TempDirectory("stream");
        string[] Arguments(string output, int seed, int threads) =>
            ["synth", "--stream", "--minutes", "0.5", "--seed", $"{seed}", "--threads", $"{threads}", "--out", output, "--no-noise",
             "--voices", "en,en-us", "--variants", "m1,f2,klatt", "--sentences-per-minute", "0", "--keywords", "yes,no,up,down"];

        var stdout = await CliRun.SucceedAsync(Arguments(folder.Combine("a"), 4, 2));
        Assert.Contains("10 keywords, 5 other utterances", stdout);

        var labels = Labels(folder.Combine("a"));
        var events = Events(folder.Combine("a"));
        var audio = Audio(folder.Combine("a"));
        Assert.Equal(30 * 16000, audio.Length);
        Assert.Equal(10, labels.Count);
        Assert.Equal(15, events.Count);
        Assert.Equal(labels, events.Where(e => e.Kind == "keyword").Select(e => (e.Start, e.End, e.Text)));
        Assert.All(labels, l => Assert.Contains(l.Word, new[] { "yes", "no", "up", "down" }));
        Assert.All(events.Where(e => e.Kind != "keyword"), e => Assert.False(new[] { "yes", "no", "up", "down" }.Contains(e.Text), e.Text));
        Assert.All(events, e => Assert.Matches(@"^en(-us)?\+(m1|f2|klatt)$", e.Source));
        Assert.Equal(events.OrderBy(e => e.Start), events);
        for (var i = 1; i < events.Count; i++)
            Assert.True(events[i].Start - events[i - 1].End >= 0.2 * 16000 - 16, "gaps of at least 0.2 s");
        // Without noise, the labelled bounds are the speech itself: sound at both ends, exact silence between utterances.
        foreach (var (start, end, _) in labels)
        {
            Assert.InRange((end - start) / 16000.0, 0.1, 1.0);
            Assert.True(Mixing.Rms(audio.AsSpan(start, 160)) > 1e-4 && Mixing.Rms(audio.AsSpan(end - 160, 160)) > 1e-4);
        }
        var inside = new bool[audio.Length];
        foreach (var e in events)
            Array.Fill(inside, true, Math.Max(0, e.Start - 16), e.End - e.Start + 32);
        Assert.All(Enumerable.Range(0, audio.Length).Where(i => !inside[i]), i => Assert.Equal(0f, audio[i]));

        await CliRun.SucceedAsync(Arguments(folder.Combine("b"), 4, 1));
        await CliRun.SucceedAsync(Arguments(folder.Combine("c"), 5, 2));
        foreach (var file in new[] { StreamSynthesizer.AudioFile, StreamSynthesizer.LabelsFile, StreamSynthesizer.EventsFile })
            Assert.Equal(File.ReadAllBytes(folder.Combine("a", file)), File.ReadAllBytes(folder.Combine("b", file)));
        Assert.NotEqual(File.ReadAllText(folder.Combine("a", StreamSynthesizer.LabelsFile)), File.ReadAllText(folder.Combine("c", StreamSynthesizer.LabelsFile)));
    }

    [Fact]
    public async Task ANoKeywordStreamHasOnlyTheLabelHeaderAndNoCommandInIt()
    {
        using var folder = new TempDirectory("stream");
        await CliRun.SucceedAsync("synth", "--stream", "--no-keywords", "--minutes", "0.25", "--out", folder.Path, "--no-noise",
            "--voices", "en-gb-x-rp", "--variants", "f1,m3,klatt2");

        Assert.Equal([StreamSynthesizer.LabelsHeader], File.ReadAllLines(folder.Combine(StreamSynthesizer.LabelsFile)));
        var events = File.ReadAllLines(folder.Combine(StreamSynthesizer.EventsFile)).Skip(1).ToList();
        // 20 words or phrases and 6 sentences a minute by default without keywords.
        Assert.Equal(5 + 2, events.Count);
        Assert.Equal(2, events.Count(e => e.Contains(",sentence,", StringComparison.Ordinal)));
        Assert.All(events.SelectMany(e => e.Split(',')[3..^1]).SelectMany(t => t.Trim('"').Split(' ')),
            w => Assert.False(Vocabulary.SoundsLikeCommand(w), w));
    }

    [Fact]
    public async Task BackgroundNoiseIsAddedAtTheRequestedSnr()
    {
        using var folder = new TempDirectory("stream");
        var options = new StreamSynthesisOptions
        {
            OutputDirectory = folder.Combine("clean"),
            Minutes = 0.5,
            Seed = 9,
            BackgroundNoise = false,
            Voices = ["en-us"],
            Variants = ["m2", "f3", "klatt"],
        };
        await StreamSynthesizer.RunAsync(options);
        await StreamSynthesizer.RunAsync(options with { OutputDirectory = folder.Combine("noisy"), BackgroundNoise = true, MinSnr = 10, MaxSnr = 10 });

        var clean = Audio(folder.Combine("clean"));
        var noisy = Audio(folder.Combine("noisy"));
        var noise = noisy.Zip(clean, (n, c) => n - c).ToArray();
        var speech = Events(folder.Combine("clean")).Select(e => Mixing.Rms(clean.AsSpan(e.Start, e.End - e.Start))).Order().ToList();
        var snr = 20 * Math.Log10(speech[speech.Count / 2] / Mixing.Rms(noise));
        Assert.InRange(snr, 9, 11);
        Assert.Equal(Labels(folder.Combine("clean")), Labels(folder.Combine("noisy")));
    }

    /// <summary>A dataset whose clips are tone bursts at known places: bed and zero (keywords) and hello (not a command).</summary>
    private static Dictionary<string, (int Start, int End)> BurstDataset(string root, bool withNoise)
    {
        var bursts = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        var n = 0;
        foreach (var word in new[] { "bed", "zero", "hello" })
            foreach (var speaker in MiniDataset.Speakers)
                for (var repetition = 0; repetition < 2; repetition++, n++)
                {
                    var path = $"{word}/{speaker}_nohash_{repetition}.wav";
                    var start = 1600 + 320 * (n % 9);
                    var end = start + 3200 + 480 * (n % 7);
                    bursts[path] = (start, end);
                    WavFile.WritePcm16(Path.Combine(root, path), SpeechBoundsTests.Burst(start, end, 0.002, seed: n), 16000);
                }
        if (withNoise)
            WavFile.WritePcm16(Path.Combine(root, "_background_noise_", "hiss.wav"),
                NoiseGenerator.Generate(NoiseColor.Pink, 5 * 16000, new Random(3)), 16000);
        return bursts;
    }

    [Fact]
    public async Task ADatasetStreamCutsItsClipsAtTheSpeechAndReadsFoldersAndArchivesAlike()
    {
        using var folder = new TempDirectory("stream");
        var data = folder.Combine("data");
        var bursts = BurstDataset(data, withNoise: true);
        MiniDataset.Pack(data, folder.Combine("data.tar.gz"));
        string[] Arguments(string from, string output) =>
            ["synth", "--stream", "--from", from, "--split", "test", "--keywords", "bed,zero", "--minutes", "0.25", "--out", output, "--seed", "2"];

        await CliRun.SucceedAsync(Arguments(data, folder.Combine("a")));
        var outcome = await CliRun.RunAsync(Arguments(folder.Combine("data.tar.gz"), folder.Combine("b")));
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.DoesNotContain("warning", outcome.Stderr, StringComparison.Ordinal);

        var labels = Labels(folder.Combine("a"));
        var events = Events(folder.Combine("a"));
        Assert.Equal(5, labels.Count);
        Assert.Equal(2, events.Count(e => e.Kind == "non-keyword"));
        foreach (var e in events)
        {
            Assert.Equal(Split.Test, SplitRule.Of(e.Source));
            Assert.Equal(e.Kind == "keyword", e.Text is "bed" or "zero");
            Assert.Equal(e.Text, e.Source[..e.Source.IndexOf('/')]);
            var (start, end) = bursts[e.Source];
            Assert.InRange(e.End - e.Start - (end - start), -SpeechBounds.FrameSamples - 16, SpeechBounds.FrameSamples + 16);
        }
        foreach (var file in new[] { StreamSynthesizer.AudioFile, StreamSynthesizer.LabelsFile, StreamSynthesizer.EventsFile })
            Assert.Equal(File.ReadAllBytes(folder.Combine("a", file)), File.ReadAllBytes(folder.Combine("b", file)));
    }

    [Fact]
    public async Task ADatasetWithoutNoiseRecordingsOrNonKeywordsSaysSo()
    {
        using var folder = new TempDirectory("stream");
        var data = folder.Combine("data");
        BurstDataset(data, withNoise: false);

        var outcome = await CliRun.RunAsync(["synth", "--stream", "--from", data, "--keywords", "bed,zero", "--minutes", "0.2",
            "--out", folder.Combine("a")]);
        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Contains("warning: ", outcome.Stderr);
        Assert.Contains("generated white, pink and brown noise", outcome.Stderr);

        Directory.Delete(Path.Combine(data, "hello"), recursive: true);
        Assert.Contains("no non-keyword clips in the test split",
            await CliRun.FailAsync("synth", "--stream", "--no-keywords", "--from", data, "--minutes", "0.2", "--out", folder.Combine("b")));
        Assert.False(Directory.Exists(folder.Combine("b")));
    }

    [Fact]
    public async Task BadStreamInputGivesOneErrorLine()
    {
        using var folder = new TempDirectory("stream");
        var output = folder.Combine("out");
        Assert.Equal("error: --minutes must be more than 0 and at most 120, got 0",
            await CliRun.FailAsync("synth", "--stream", "--minutes", "0", "--out", output));
        Assert.Equal("error: --split must be train, valid or test, got 'dev'",
            await CliRun.FailAsync("synth", "--stream", "--from", folder.Path, "--split", "dev", "--out", output));
        Assert.StartsWith($"error: {folder.Combine("missing")}: dataset not found",
            await CliRun.FailAsync("synth", "--stream", "--from", folder.Combine("missing"), "--out", output));
        Assert.Equal("error: --snr needs MIN,MAX in dB (for example 5,25), got '5'", await CliRun.FailAsync("synth", "--stream", "--snr", "5", "--out", output));
        Assert.Equal("error: --clips-per-word applies to a dataset, not to --stream",
            await CliRun.FailAsync("synth", "--stream", "--clips-per-word", "3", "--out", output));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void StreamOptionsNameTheBadValue()
    {
        var options = new StreamSynthesisOptions { OutputDirectory = "out" };
        string Error(StreamSynthesisOptions bad) => Assert.Throws<TfCrnnException>(() => bad.Validate()).Message;
        Assert.StartsWith("unknown voice 'en-xx'", Error(options with { Voices = ["en-xx"] }));
        Assert.Equal("keyword 'hello' is not one of the 35 Speech Commands words", Error(options with { Keywords = ["yes", "hello"] }));
        Assert.StartsWith("612 utterances a minute do not fit", Error(options with { KeywordsPerMinute = 600 }));
        Assert.Equal("--snr needs MIN,MAX with MIN <= MAX, got 20,10", Error(options with { MinSnr = 20, MaxSnr = 10 }));
        Assert.StartsWith("--voices and --variants choose espeak-ng speakers", Error(options with { DatasetPath = "data", Variants = ["m1"] }));
        Assert.StartsWith("the stream would have no speech", Error(options with { NoKeywords = true, NonKeywordsPerMinute = 0, SentencesPerMinute = 0 }));
        Assert.Same(options, options.Validate());
    }
}
