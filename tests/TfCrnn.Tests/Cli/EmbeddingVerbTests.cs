using System.Globalization;
using System.Text.RegularExpressions;
using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Tests.SpeechEmbedding;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// The heads over the speech embedding as a user runs them, on the stand-in encoder (<c>TFCRNN_UNPINNED_ENCODER</c>) and
/// a per-user cache of the test's own (<c>XDG_CACHE_HOME</c>): <c>train</c> with augmented copies and
/// <c>--select-on</c>, interrupted and resumed, at a time limit; the embedding cache reused by a second run and missed
/// where the augmentation, the data or the front end changes; <c>eval</c>, <c>eval --twelve-label</c> and
/// <c>predict</c> on the run; the missing encoder; the shipped default model.
/// </summary>
public sealed partial class EmbeddingVerbTests(EmbeddingVerbTests.TrainedHead head) : IClassFixture<EmbeddingVerbTests.TrainedHead>
{
    private const string Augment = "none,gain=-6:6";
    private const int Copies = 2;

    /// <summary>One embedding-tfgru run: interrupted after epoch 1, resumed at a time limit, then resumed to its cap.</summary>
    public sealed class TrainedHead : IAsyncLifetime
    {
        internal TempDirectory Home { get; } = new("cli-embedding");

        internal ToneDataset Data { get; } = new(trainPerWord: 6, validPerWord: 2, testPerWord: 2, otherWords: true, noiseRecordings: 1);

        internal string Run => Home.Combine("run");

        /// <summary>A real-speech folder as eval --twelve-label reads it: word folders, _unknown_, _silence_.</summary>
        internal string Select => Home.Combine("select");

        internal CliResult Interrupted { get; private set; } = null!;

        internal CliResult Limited { get; private set; } = null!;

        internal CliResult Finished { get; private set; } = null!;

        internal int Cap { get; private set; }

        internal Dictionary<string, string?> Environment(string? encoder = null) => new()
        {
            ["XDG_CACHE_HOME"] = Home.Combine("cache"),
            [EncoderFiles.UnpinnedVariable] = encoder ?? EncoderFixtures.StandIn,
            [DefaultModel.ModelsVariable] = Home.Combine("no-models"),
        };

        internal Task<CliResult> RunAsync(IReadOnlyList<string> arguments, Dictionary<string, string?>? environment = null) =>
            CliRun.RunAsync(arguments, timeout: TimeSpan.FromMinutes(10), environment: environment ?? Environment());

        internal string[] Train(string data, string model, string output, params string[] more) =>
            ["train", "--data", data, "--model", model, "--out", output, "--hidden-size", "8", "--batch-size", "8", "--threads", "1",
             "--augment-copies", Copies.ToString(CultureInfo.InvariantCulture), .. more.Contains("--augment") ? more : [.. more, "--augment", Augment]];

        public async Task InitializeAsync()
        {
            var random = new Random(9);
            for (var w = 0; w < ToneDataset.Words.Length; w++)
                WriteClips(ToneDataset.Words[w], w, 2, random);
            WriteClips("_unknown_", ToneDataset.Words.Length, 2, random);
            Directory.CreateDirectory(Path.Combine(Select, "_silence_"));
            WavFile.WritePcm16(Path.Combine(Select, "_silence_", "noise.wav"),
                [.. Enumerable.Range(0, 16000).Select(_ => (float)(0.02 * (random.NextDouble() - 0.5)))], 16000);

            Interrupted = await CliRun.RunUntilAsync(
                Train(Data.Path, "embedding-tfgru", Run, "--max-epochs", "1000", "--patience", "1000", "--select-on", Select),
                line => line.StartsWith("epoch 1: train loss", StringComparison.Ordinal), CliRun.Interrupt, TimeSpan.FromMinutes(10),
                Environment());
            var saved = new RunFolder(Run).ReadState(RunFolder.Last).Epoch;
            Limited = await RunAsync(["train", "--out", Run, "--resume", "--max-epochs", "1000", "--time-limit", "0.000001", "--threads", "1"]);
            Cap = Math.Max(saved, new RunFolder(Run).ReadState(RunFolder.Last).Epoch) + 2;
            Finished = await RunAsync(["train", "--out", Run, "--resume", "--max-epochs", Cap.ToString(CultureInfo.InvariantCulture), "--threads", "1"]);
        }

        private void WriteClips(string folder, int tone, int count, Random random)
        {
            Directory.CreateDirectory(Path.Combine(Select, folder));
            for (var i = 0; i < count; i++)
                WavFile.WritePcm16(Path.Combine(Select, folder, $"speaker{i}_nohash_0.wav"), ToneDataset.Tone(tone, random), 16000);
        }

        public Task DisposeAsync()
        {
            Data.Dispose();
            Home.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task TrainResumesAfterCtrlCAndATimeLimitAndKeepsTheEpochBestOnTheSelectFolder()
    {
        Assert.True(head.Interrupted.ExitCode == 130, head.Interrupted.Stderr);
        Assert.True(head.Interrupted.Stderr.Contains($"continue it with: {RunFolder.ResumeCommand(head.Run)}", StringComparison.Ordinal),
            head.Interrupted.Stderr + head.Interrupted.Stdout);
        var (computed, duplicates) = Embedded(head.Interrupted);
        // A copy equal to another (a gain of 0 dB) is embedded once.
        Assert.InRange(computed, 1, computed + duplicates);
        var total = computed + duplicates;
        Assert.Matches(@"(?m)^epoch 1: train loss .* \| select-on \d", head.Interrupted.Stderr);

        // Resumed sessions find every copy in the cache.
        Assert.Equal((0, total), Embedded(head.Limited.Succeeded()));
        Assert.Contains($"stopped at the time limit; continue the run with: {RunFolder.ResumeCommand(head.Run)}", head.Limited.Stdout);
        Assert.Equal((0, total), Embedded(head.Finished.Succeeded()));

        var folder = new RunFolder(head.Run);
        var result = folder.ReadResult();
        Assert.Equal(head.Cap, result.Epochs);
        Assert.False(result.TimeLimitReached);
        Assert.Equal("embedding-tfgru", result.Model);
        Assert.True(File.Exists(folder.ConfigPath));
        Assert.NotEmpty(Directory.GetFiles(head.Run, "events.out.tfevents*"));

        // best/ is the epoch of the highest select-on score (the earliest of equals), and scores exactly that on the folder.
        var rows = File.ReadAllLines(folder.MetricsPath);
        Assert.EndsWith(",select_accuracy,select_keyword_accuracy", rows[0]);
        var scores = rows.Skip(1).Select(r => r.Split(',')).Select(f => (Epoch: int.Parse(f[0], CultureInfo.InvariantCulture),
            Select: double.Parse(f[8], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(Enumerable.Range(1, head.Cap), scores.Select(s => s.Epoch));
        var best = scores.OrderByDescending(s => s.Select).ThenBy(s => s.Epoch).First();
        Assert.Equal(best.Epoch, result.BestEpoch);
        Assert.Equal(best.Epoch, folder.ReadState(RunFolder.Best).Epoch);
        var twelve = (await head.RunAsync(["eval", "--checkpoint", head.Run, "--data", head.Select, "--twelve-label", "--json",
            "--out", head.Home.Combine("twelve")])).Succeeded().Json();
        Assert.Equal(best.Select, (double)twelve["accuracy"]!, 9);
        Assert.Equal(15, (int)twelve["clips"]!);
    }

    [Fact]
    public async Task EvalAndPredictRunOnTheRunFolder()
    {
        var eval = (await head.RunAsync(["eval", "--checkpoint", head.Run, "--data", head.Data.Path, "--json", "--out", head.Home.Combine("eval")]))
            .Succeeded().Json();
        Assert.Equal(2 * (ToneDataset.Words.Length + ToneDataset.OtherWords.Length), (int)eval["clips"]!);
        Assert.InRange((double)eval["accuracy"]!, 0, 1);

        // A real folder scored against the model's own words (35-word style): the clips of its word folders.
        var words = (await head.RunAsync(["eval", "--checkpoint", head.Run, "--data", head.Select, "--split", "all", "--json",
            "--out", head.Home.Combine("words")])).Succeeded().Json();
        Assert.Equal(6 * 2, (int)words["clips"]!);

        var clip = Directory.GetFiles(Path.Combine(head.Select, "go")).First();
        var predicted = (await head.RunAsync(["predict", "--checkpoint", head.Run, "--json", "--top", "3", clip])).Succeeded().Json();
        var top = predicted[0]!["top"]!.AsArray();
        Assert.Equal(3, top.Count);
        Assert.True((double)top[0]!["probability"]! >= (double)top[1]!["probability"]!);
    }

    [Fact]
    public async Task ASecondRunEmbedsNothingAndTheCacheFollowsTheAugmentationTheDataAndTheFrontEnd()
    {
        var (computedFirst, duplicates) = Embedded(head.Interrupted);
        var total = computedFirst + duplicates;

        // The plain GRU head on the same data, augmentation and seed: every copy comes from the cache.
        var second = (await head.RunAsync(head.Train(head.Data.Path, "embedding-gru", head.Home.Combine("gru"), "--max-epochs", "1"))).Succeeded();
        Assert.Equal((0, total), Embedded(second));
        Assert.Equal(1, new RunFolder(head.Home.Combine("gru")).ReadResult().Epochs);

        // Another augmentation: the clean copies are shared, the augmented ones are new.
        var augmented = (await head.RunAsync(head.Train(head.Data.Path, "embedding-gru", head.Home.Combine("other-augment"), "--max-epochs", "1",
            "--augment", "none,gain=-3:3"))).Succeeded();
        var (newCopies, sharedCopies) = Embedded(augmented);
        Assert.Equal(total, newCopies + sharedCopies);
        Assert.InRange(newCopies, 1, total - 1);

        // One training clip changed: its copies are new, the others' come from the cache.
        var changed = head.Home.Combine("changed-data");
        var copy = await ChildProcess.RunAsync("cp", ["-a", head.Data.Path, changed]);
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        var clip = Directory.GetFiles(Path.Combine(changed, "yes")).Order(StringComparer.Ordinal).First();
        WavFile.WritePcm16(clip, ToneDataset.Tone(3, new Random(77)), 16000);
        var (newData, _) = Embedded((await head.RunAsync(head.Train(changed, "embedding-gru", head.Home.Combine("changed"), "--max-epochs", "1"))).Succeeded());
        Assert.InRange(newData, Copies, total - 1);

        // Another encoder: nothing is shared.
        var encoder = StandInEncoder.Write(head.Home.Combine("other-encoder"), seed: 34);
        var other = (await head.RunAsync(head.Train(head.Data.Path, "embedding-gru", head.Home.Combine("other-encoder-run"), "--max-epochs", "1"),
            head.Environment(encoder))).Succeeded();
        Assert.Equal((computedFirst, duplicates), Embedded(other));
    }

    [Fact]
    public async Task WithoutTheEncoderTrainAndPredictNameTheInstallCommand()
    {
        var environment = head.Environment();
        environment[EncoderFiles.UnpinnedVariable] = null;
        environment["XDG_CACHE_HOME"] = head.Home.Combine("empty-cache");
        var train = (await head.RunAsync(head.Train(head.Data.Path, "embedding-tfgru", head.Home.Combine("no-encoder"), "--max-epochs", "1"),
            environment)).FailedWith();
        Assert.Contains("run `tfcrnn encoder install`", train);
        var clip = Directory.GetFiles(Path.Combine(head.Select, "go")).First();
        var predict = (await head.RunAsync(["predict", "--checkpoint", head.Run, clip], environment)).FailedWith();
        Assert.Contains("run `tfcrnn encoder install`", predict);
        Assert.False(RunFolder.IsRunFolder(head.Home.Combine("no-encoder")));
    }

    [Theory]
    [InlineData("crnn-basic", "--augment-copies", "2", "error: --augment-copies applies to models over a frozen front end")]
    [InlineData("embedding-gru", "--augment-copies", "0", "error: --augment-copies must be at least 1")]
    [InlineData("embedding-gru", "--select-style", "words", "error: --select-style needs --select-on")]
    [InlineData("embedding-gru", "--select-on", "/no/such/folder", "error: --select-on /no/such/folder: no such folder")]
    public async Task BadTrainOptionsAreOneErrorLine(string model, string option, string value, string error)
    {
        var output = head.Home.Combine($"bad-{Guid.NewGuid():N}");
        var line = (await head.RunAsync(["train", "--data", head.Data.Path, "--model", model, "--out", output, option, value])).FailedWith();
        Assert.StartsWith(error, line);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task WithoutACheckpointPredictUsesTheEmbeddingModelWhereTheEncoderIsInstalledAndSaysSo()
    {
        var models = head.Home.Combine("models");
        Directory.CreateDirectory(models);
        var copy = await ChildProcess.RunAsync("cp", ["-a", Path.Combine(TestPaths.RepositoryRoot, "models", "default"), Path.Combine(models, "default")]);
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        copy = await ChildProcess.RunAsync("cp", ["-a", Path.Combine(head.Run, RunFolder.Best), Path.Combine(models, "embedding")]);
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        var clip = Directory.GetFiles(Path.Combine(head.Select, "go")).First();

        var installed = head.Environment();
        installed[DefaultModel.ModelsVariable] = models;
        var embedding = (await head.RunAsync(["predict", "--json", clip], installed)).Succeeded();
        Assert.Single(embedding.Stderr.Split('\n'), l => l.Contains("using the shipped speech-embedding model (models/embedding/)", StringComparison.Ordinal));
        var explicitEmbedding = (await head.RunAsync(["predict", "--json", "--checkpoint", Path.Combine(models, "embedding"), clip], installed)).Succeeded();
        Assert.Equal(explicitEmbedding.Stdout, embedding.Stdout);
        Assert.DoesNotContain("using the shipped", explicitEmbedding.Stderr);

        var absent = new Dictionary<string, string?>(installed) { [EncoderFiles.UnpinnedVariable] = null, ["XDG_CACHE_HOME"] = head.Home.Combine("empty-cache") };
        var raw = (await head.RunAsync(["predict", "--json", clip], absent)).Succeeded();
        Assert.DoesNotContain("using the shipped", raw.Stderr);
        var explicitDefault = (await head.RunAsync(["predict", "--json", "--checkpoint", Path.Combine(models, "default"), clip], absent)).Succeeded();
        Assert.Equal(explicitDefault.Stdout, raw.Stdout);
        Assert.NotEqual(embedding.Stdout, raw.Stdout);

        // stream-eval, which demanded --checkpoint, gets the default too.
        var labels = head.Home.Combine("labels.csv");
        File.WriteAllText(labels, "start_seconds,end_seconds,word\n0.1,0.9,go\n");
        var streamed = (await head.RunAsync(["stream-eval", "--audio", clip, "--labels", labels, "--json"], absent)).Succeeded().Json();
        var explicitStreamed = (await head.RunAsync(["stream-eval", "--checkpoint", Path.Combine(models, "default"), "--audio", clip, "--labels", labels,
            "--json"], absent)).Succeeded().Json();
        Assert.Equal((int)explicitStreamed["labels"]!, (int)streamed["labels"]!);
        Assert.Equal(explicitStreamed["hits"]!.ToJsonString(), streamed["hits"]!.ToJsonString());
    }

    /// <summary>The counts of the line every <c>train</c> of an embedding model prints: copies the encoder embedded, and those found in the cache.</summary>
    private static (int Computed, int FromCache) Embedded(CliResult result)
    {
        var match = EmbeddedLine().Match(result.Stderr);
        Assert.True(match.Success, result.Stderr);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"clip copies embedded: (\d+) by the encoder, (\d+) from the embedding cache")]
    private static partial Regex EmbeddedLine();
}
