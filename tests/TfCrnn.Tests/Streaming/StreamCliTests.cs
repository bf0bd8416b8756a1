using System.Text.Json;
using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Streaming;

/// <summary><c>tfcrnn stream</c> and <c>stream-eval</c> run as a user runs them, bad input included.</summary>
public sealed class StreamCliTests : IDisposable
{
    private readonly TempDirectory folder = new("stream-cli");
    private readonly string model;
    private readonly string wav;

    public StreamCliTests()
    {
        model = folder.Combine("model");
        using (var tiny = StreamingRecognizerTests.TinyModel("tfcrnn-basic"))
            ModelFolder.Save(tiny, model);
        wav = folder.Combine("stream.wav");
        var random = new Random(7);
        WavFile.WritePcm16(wav, [.. Enumerable.Range(0, 40000).Select(t => (float)(0.3 * Math.Sin(t * 0.05 * (1 + t / 20000.0)) + 0.02 * (random.NextDouble() - 0.5)))], 16000);
    }

    public void Dispose() => folder.Dispose();

    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "TfCrnn.Cli.dll");

    /// <summary>Runs <paramref name="command"/> under bash, where <c>tfcrnn</c> is the CLI of this build.</summary>
    private static ProcessResult Bash(string command) =>
        ChildProcess.RunAsync("bash", ["-c", $"tfcrnn() {{ dotnet '{Cli}' \"$@\"; }}; {command}"]).GetAwaiter().GetResult();

    private const string Fire = "--threshold 0 --refractory 0.5";

    /// <summary>
    /// Runs <c>stream-eval --json --out</c> on the stream, with labels for yes, no and hello (not a keyword), as a user
    /// does; it must succeed. Returns its JSON, its stderr and the output folder.
    /// </summary>
    private (JsonElement Root, string Stderr, string Output) StreamEval(string outputName, string options)
    {
        var labels = folder.Combine("labels.csv");
        File.WriteAllText(labels, "start_seconds,end_seconds,word\n0.4,0.9,yes\n1.2,1.6,no\n2.0,2.3,hello\n");
        var output = folder.Combine(outputName);
        var (exitCode, stdout, stderr) = Bash(
            $"tfcrnn stream-eval --checkpoint '{model}' --audio '{wav}' --labels '{labels}' --json --out '{output}' {Fire} {options}");
        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        return (json.RootElement.Clone(), stderr, output);
    }

    [Fact]
    public void AFileAndTheSameAudioPipedOnStdinGiveTheSameDetections()
    {
        var fromFile = Bash($"tfcrnn stream --checkpoint '{model}' {Fire} --json '{wav}'");
        Assert.True(fromFile.ExitCode == 0, fromFile.Stderr);
        var lines = fromFile.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // 2.5 s, a detection every half second from the first step on.
        Assert.Equal(5, lines.Length);
        using (var first = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal(["word", "start", "end", "score"], first.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(0.1, first.RootElement.GetProperty("end").GetDouble(), 9);
        }

        // Raw samples from a child process (the 44-byte header cut off), and the WAV stream itself.
        var raw = Bash($"tail -c +45 '{wav}' | tfcrnn stream --checkpoint '{model}' {Fire} --json -");
        Assert.True(raw.ExitCode == 0, raw.Stderr);
        Assert.Equal(fromFile.Stdout, raw.Stdout);
        var piped = Bash($"cat '{wav}' | tfcrnn stream --checkpoint '{model}' {Fire} -");
        Assert.True(piped.ExitCode == 0, piped.Stderr);
        var text = piped.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, text.Length);
        Assert.Matches(@"^ +0\.00 +0\.10  [a-z]+ +0\.\d{3}$", text[0]);
    }

    /// <summary>
    /// Without <c>--checkpoint</c> and without the speech-embedding encoder (an empty per-user cache), <c>predict</c> and
    /// <c>stream -</c> run the model in <c>models/default/</c> (with the encoder, <c>models/embedding/</c>: EmbeddingVerbTests).
    /// </summary>
    [Fact]
    public void WithoutACheckpointPredictAndStreamUseTheShippedModel()
    {
        var shipped = DefaultModel.Directory;
        var noEncoder = folder.Combine("no-encoder");
        Directory.CreateDirectory(noEncoder);
        Assert.True(File.Exists(Path.Combine(shipped, "MODEL.md")), $"{shipped}: the build carries the default model and its recipe");
        using (var loaded = CheckpointLocator.LoadModel(shipped))
            Assert.Equal("_none_", loaded.Config.Labels[^1]);

        foreach (var (implicitModel, explicitModel) in new[]
        {
            ($"export XDG_CACHE_HOME='{noEncoder}'; tfcrnn predict --top 3 --json '{wav}'", $"tfcrnn predict --checkpoint '{shipped}' --top 3 --json '{wav}'"),
            ($"export XDG_CACHE_HOME='{noEncoder}'; tail -c +45 '{wav}' | tfcrnn stream {Fire} --json -", $"tfcrnn stream --checkpoint '{shipped}' {Fire} --json '{wav}'"),
        })
        {
            var withDefault = Bash(implicitModel);
            var named = Bash(explicitModel);
            Assert.True(withDefault.ExitCode == 0, $"{implicitModel}: {withDefault.Stderr}");
            Assert.True(named.ExitCode == 0, $"{explicitModel}: {named.Stderr}");
            Assert.NotEmpty(withDefault.Stdout.Trim());
            Assert.Equal(named.Stdout, withDefault.Stdout);
        }
    }

    /// <summary>Bad bytes on stdin; every other bad input of these verbs is a case of <see cref="Cli.CliInputErrorTests"/>.</summary>
    [Fact]
    public void BadStdinEndsWithOneErrorLineAndStatus2()
    {
        foreach (var (command, message) in new[]
        {
            ($"printf 'RIFF\\x24\\x00\\x00\\x00AVI LIST' | tfcrnn stream --checkpoint '{model}' -", "error: stdin: not a WAVE file (RIFF form type is not WAVE)"),
            ($"printf 'RIFF\\x24\\x00\\x00\\x00WAVEfmt ' | tfcrnn stream --checkpoint '{model}' -", "error: stdin: truncated header (no fmt chunk)"),
        })
        {
            var (exitCode, stdout, stderr) = Bash(command);
            Assert.True(exitCode == 2, $"{command}: exit {exitCode}, {stderr}");
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line);
            Assert.Contains(message, line);
            Assert.Empty(stdout);
        }
    }

    /// <summary>
    /// A recording cut off inside a sample frame, whose data chunk claims more than the file holds (a copy that stopped,
    /// a writer that was killed): <c>stream</c> (file and stdin), <c>stream-eval</c> and <c>predict</c> use its whole
    /// frames, as if it had ended on the last of them, and say so in one note; the exit status is 0.
    /// </summary>
    [Fact]
    public void ARecordingThatEndsInsideASampleFrameGivesItsWholeFramesAndOneNote()
    {
        var mono = WavFile.Read(wav).Channels[0];
        float[][] stereo = [mono, [.. mono.Select(s => s / 2)]];
        var whole = folder.Combine("whole.wav");
        File.WriteAllBytes(whole, new WavBuilder().Format(1, 2, 16000, 16).Data(stereo, 16).Build());
        var cut = folder.Combine("cut.wav");
        var frames = new WavBuilder { RiffSize = 0xFFFFFFFF }.Format(1, 2, 16000, 16).Data(stereo, 16, declaredSize: (uint)mono.Length * 4 + 4000).Build();
        File.WriteAllBytes(cut, [.. frames, 0x12, 0x34, 0x56]);
        const string partial = "the audio ends inside a sample frame (3 bytes left over): the whole frames before it are used";

        void AssertNotes(ProcessResult run, string name, params string[] notes)
        {
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal(notes.Select(n => $"note: {name}: {n}"), run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("note: ", StringComparison.Ordinal)));
        }

        var expected = Bash($"tfcrnn stream --checkpoint '{model}' {Fire} --json '{whole}'");
        Assert.True(expected.ExitCode == 0, expected.Stderr);
        Assert.Equal(5, expected.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var fromFile = Bash($"tfcrnn stream --checkpoint '{model}' {Fire} --json '{cut}'");
        AssertNotes(fromFile, cut, "mixed 2 channels down to mono", partial);
        Assert.Equal(expected.Stdout, fromFile.Stdout);
        var piped = Bash($"cat '{cut}' | tfcrnn stream --checkpoint '{model}' {Fire} --json -");
        AssertNotes(piped, "stdin", "mixed 2 channels down to mono", partial);
        Assert.Equal(expected.Stdout, piped.Stdout);

        // Raw samples that end with half a sample.
        var raw = Bash($"{{ tail -c +45 '{wav}'; printf '\\x7f'; }} | tfcrnn stream --checkpoint '{model}' {Fire} --json -");
        AssertNotes(raw, "stdin", partial.Replace("3 bytes", "1 byte"));
        Assert.Equal(Bash($"tfcrnn stream --checkpoint '{model}' {Fire} --json '{wav}'").Stdout, raw.Stdout);

        var labels = folder.Combine("cut-labels.csv");
        File.WriteAllText(labels, "start_seconds,end_seconds,word\n0.4,0.9,yes\n1.2,1.6,no\n");
        string Scores(ProcessResult run) => string.Join(",", System.Text.Json.Nodes.JsonNode.Parse(run.Stdout)!.AsObject()
            .Where(p => !p.Key.StartsWith("rtf", StringComparison.Ordinal)).Select(p => $"{p.Key}={p.Value?.ToJsonString()}"));
        var evaluated = Bash($"tfcrnn stream-eval --checkpoint '{model}' --audio '{cut}' --labels '{labels}' {Fire} --json");
        AssertNotes(evaluated, cut, "mixed 2 channels down to mono", partial);
        Assert.Equal(Scores(Bash($"tfcrnn stream-eval --checkpoint '{model}' --audio '{whole}' --labels '{labels}' {Fire} --json")), Scores(evaluated));

        var predicted = Bash($"tfcrnn predict --checkpoint '{model}' --json '{cut}'");
        Assert.True(predicted.ExitCode == 0, predicted.Stderr);
        var notes = System.Text.Json.Nodes.JsonNode.Parse(predicted.Stdout)![0]!["notes"]!.AsArray().Select(n => (string)n!);
        Assert.Equal([partial, "mixed 2 channels down to mono", "2.5 s long: kept the middle 1 s"], notes);
        Assert.Equal(System.Text.Json.Nodes.JsonNode.Parse(Bash($"tfcrnn predict --checkpoint '{model}' --json '{whole}'").Stdout)![0]!["top"]!.ToJsonString(),
            System.Text.Json.Nodes.JsonNode.Parse(predicted.Stdout)![0]!["top"]!.ToJsonString());
    }

    [Fact]
    public void StreamEvalPrintsTheScoresAndWritesTheFigures()
    {
        var (root, stderr, output) = StreamEval("eval", "--state staggered:2:12");
        foreach (var key in new[] { "precision", "recall", "f1", "false_alarms_per_hour", "latency_ms", "rtf" })
            Assert.True(root.TryGetProperty(key, out _), key);
        // "hello" is no keyword of the model: two labels are scored; five detections, at most two of them hits.
        Assert.Equal((2, 1, 5), (root.GetProperty("labels").GetInt32(), root.GetProperty("ignored_labels").GetInt32(), root.GetProperty("detections").GetInt32()));
        Assert.Equal(5 - root.GetProperty("hits").GetInt32(), root.GetProperty("false_alarms").GetInt32());
        Assert.Equal("staggered:2:12", root.GetProperty("state").GetString());
        Assert.Equal(2, root.GetProperty("lanes_per_step").GetInt32());
        Assert.True(root.GetProperty("rtf").GetDouble() > 0);
        Assert.Contains("1 labels name words that are not keywords", stderr);
        foreach (var file in new[] { "stream-eval.json", "detections.csv", "posteriors.csv", "sweep.csv", "posteriors.png", "det.png" })
            Assert.True(new FileInfo(Path.Combine(output, file)).Length > 0, file);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(output, "detections.csv")).Length);
        // A header and one row per step (2.5 s at 100 ms), the time and the 35 classes' probabilities.
        var steps = File.ReadAllLines(Path.Combine(output, "posteriors.csv"));
        Assert.Equal(26, steps.Length);
        Assert.Equal(36, steps[1].Split(',').Length);
    }

    [Fact]
    public void ListeningForSomeKeywordsFiresOnlyThoseAndScoresOnlyTheirLabels()
    {
        var (root, _, output) = StreamEval("eval-no", "--keywords no,up");
        Assert.Equal((1, 2), (root.GetProperty("labels").GetInt32(), root.GetProperty("ignored_labels").GetInt32()));
        Assert.Equal(["no", "up"], root.GetProperty("keywords").EnumerateArray().Select(w => w.GetString()));
        var fired = File.ReadAllLines(Path.Combine(output, "detections.csv")).Skip(1).Select(l => l.Split(',')[2]).ToList();
        Assert.Equal(5, fired.Count);
        Assert.All(fired, word => Assert.Contains(word, new[] { "no", "up" }));

        var streamed = Bash($"tfcrnn stream --checkpoint '{model}' '{wav}' --json {Fire} --keywords up");
        Assert.True(streamed.ExitCode == 0, streamed.Stderr);
        var words = streamed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("word").GetString()).ToList();
        Assert.Equal(Enumerable.Repeat("up", 5), words);
    }
}
