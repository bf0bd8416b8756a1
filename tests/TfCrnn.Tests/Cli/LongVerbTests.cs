using System.Globalization;
using System.Text.RegularExpressions;
using TfCrnn.Evaluation;
using TfCrnn.Quickstart;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Synthesis;
using TfCrnn.Tests.SpeechEmbedding;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary>The long verbs as a user runs them: Ctrl+C, resuming with a new epoch cap, and a tiny quickstart.</summary>
public sealed class LongVerbTests
{
    [Fact]
    public async Task CtrlCSavesTheRunAndExits130ThenResumeWithANewCapFinishesIt()
    {
        using var data = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        using var folder = new TempDirectory("cli-sigint");
        var run = folder.Combine("my run"); // a space: the printed resume commands must quote it

        // Interrupted once epoch 1 is done: the run's cap (1,000) is far away, and so is its patience, so the schedule cannot
        // end it first (on a loaded machine the line, and so the signal, can come dozens of tiny epochs late).
        var interrupted = await CliRun.RunUntilAsync(
            ["train", "--data", data.Path, "--model", "crnn-basic", "--out", run, "--width", "8", "--batch-size", "8", "--max-epochs", "1000",
             "--patience", "1000", "--threads", "1"],
            line => line.StartsWith("epoch 1: train loss", StringComparison.Ordinal), CliRun.Interrupt);
        Assert.Equal(130, interrupted.ExitCode);
        Assert.Contains($"interrupted: the run is saved in {Path.Combine(run, RunFolder.Last)}; continue it with: tfcrnn train --out '{run}' --resume",
            interrupted.Stderr);
        Assert.DoesNotContain("\n   at ", interrupted.Stderr);
        var saved = new RunFolder(run).ReadState(RunFolder.Last);
        Assert.InRange(saved.Epoch, 1, 999);
        Assert.False(saved.Finished);

        // --max-epochs on resume is the new cap: the run stops there, whatever the schedule says.
        var cap = saved.Epoch + 1;
        var resumed = (await CliRun.RunAsync(["train", "--out", run, "--resume", "--max-epochs", cap.ToString(), "--threads", "1"])).Succeeded();
        Assert.Contains($"of {cap};", resumed.Stdout);
        Assert.DoesNotContain("time limit", resumed.Stdout);
        Assert.Equal(cap, new RunFolder(run).ReadResult().Epochs);
        Assert.Equal(cap, new RunFolder(run).ReadConfig().Training.MaxEpochs);

        // A finished run extended by one more epoch continues from where it stopped.
        var extended = (await CliRun.RunAsync(["train", "--out", run, "--resume", "--max-epochs", (cap + 1).ToString(), "--threads", "1"])).Succeeded();
        Assert.Contains($"of {cap + 1};", extended.Stdout);
        Assert.Equal(cap + 1, new RunFolder(run).ReadMetrics().Count);

        // --time-limit: this session ends after its first epoch, though the new cap allows three more.
        var limited = (await CliRun.RunAsync(["train", "--out", run, "--resume", "--max-epochs", (cap + 4).ToString(), "--time-limit", "0.000001",
            "--threads", "1"])).Succeeded();
        Assert.Contains($"of {cap + 2};", limited.Stdout);
        Assert.Contains($"stopped at the time limit; continue the run with: tfcrnn train --out '{run}' --resume", limited.Stdout);
        Assert.Equal(cap + 2, new RunFolder(run).ReadMetrics().Count);
        CliLog.Write(interrupted);
        CliLog.Write(extended);
    }

    [Fact]
    public async Task QuickstartOnATinyConfigurationTrainsBothModelsAndWritesTheReportThenTheEmbeddingHeadOnceTheEncoderIsThere()
    {
        using var data = new ToneDataset(trainPerWord: 4, validPerWord: 2, testPerWord: 2);
        using var other = new ToneDataset(trainPerWord: 0, validPerWord: 0, testPerWord: 2, seed: 7);
        using var folder = new TempDirectory("cli-quickstart");
        // Real people (here: tones standing in for them): three clips of the ten words and one of another of the 35.
        using var realFolder = new TempDirectory("cli-quickstart-real");
        var real = realFolder.Combine("people");
        ToneDataset.WriteWordFolders(real, ["yes", "yes", "no", "bed"]);
        // A synthesised dataset's speakers: 2 of these 8 clips by an MBROLA voice.
        File.WriteAllText(Path.Combine(data.Path, DatasetSynthesizer.VoicesFile),
            "voice,variant,speaker_id,split,held_out,clips\nen-us,m1,a1,train,no,5\nmb-us1,f2,b2,train,no,2\nde,m3,c3,valid,no,1\n");

        // First without the speech-embedding encoder: an empty per-user cache, and no stand-in named.
        using var home = new TempDirectory("cli-quickstart-home");
        var withoutEncoder = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = home.Path, [EncoderFiles.UnpinnedVariable] = null };

        // A time limit that the first epoch passes ends both trainings there, though the cap allows 3.
        var result = (await CliRun.RunAsync(["quickstart", "--out", folder.Path, "--data", data.Path, "--width", "8", "--max-epochs", "3",
            "--time-limit", "0.000001", "--batch-size", "8", "--threads", "1", "--augment", "paper,+gain", "--heldout", other.Path, "--real", real],
            environment: withoutEncoder)).Succeeded();
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^tfcrnn-resse: test accuracy \d+\.\d\d ?% \(best epoch 1 of 1, stopped at the time limit\)$", lines[0]);
        Assert.Matches(@"^crnn-resse: test accuracy \d+\.\d\d ?% \(best epoch 1 of 1, stopped at the time limit\)$", lines[1]);
        var report = Path.Combine(folder.Path, QuickstartPipeline.ReportFile);
        Assert.StartsWith($"report: {report} (", lines[2]);
        // The models train side by side; each epoch line names its run.
        Assert.Matches("(?m)^tfcrnn-resse epoch 1: train loss", result.Stderr);
        Assert.Matches("(?m)^crnn-resse epoch 1: train loss", result.Stderr);
        var markdown = File.ReadAllText(report);
        Assert.Matches(@"\| tfcrnn-resse \| [^\n]* \| 1 \| 1 \(time limit\) \|", markdown);
        Assert.Contains("at most 3 epochs (paper: 200) and 1e-06 minutes each", markdown);
        Assert.Contains("Temporal excitation", markdown);
        Assert.Contains("augmentation `paper,+gain`", markdown);
        Assert.Contains("Speakers: 3 voice configurations (`voices.csv`); 25 % of the clips by MBROLA voices.", markdown);
        var trained = new RunFolder(Path.Combine(folder.Path, "tfcrnn-resse")).ReadConfig();
        Assert.Equal("paper,+gain", trained.Training.Augmentation.ToString());
        // The quickstart's dropout, less than the paper's (0.5 and 0.2).
        Assert.Equal((0.1, 0.0), (trained.Model.HeadDropout, trained.Model.ResidualDropout));
        Assert.Contains("dropout 0.1 before the GRU and 0 in residual branches", markdown);
        // Without the encoder: no head, and one line says how to get it.
        Assert.Contains("\nNo head over the speech embedding: the encoder is not installed; `./tfcrnn encoder install` (or `--encoder DIR`) " +
            "and the quickstart again add one in `embedding/`", markdown);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, QuickstartPipeline.EmbeddingFolder)));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "embedding-cache")));

        // Generalisation: each model on the --heldout set, clean and at the four SNRs, with its files in the run folder.
        Assert.Contains("## Generalisation", markdown);
        var otherName = Path.GetFileName(other.Path);
        var clips = ToneDataset.Words.Length * 2;
        foreach (var variant in new[] { "tfcrnn-resse", "crnn-resse" })
        {
            Assert.Matches($@"\| {variant} \| {otherName} \| {clips} \| \d+\.\d \| \d+\.\d \| \d+\.\d \| \d+\.\d \| \d+\.\d \|", markdown);
            Assert.True(File.Exists(Path.Combine(folder.Path, variant, "generalization-" + otherName, "generalization.json")));
        }

        // Real people: one table per set, a row per model and one for the shipped default model, 35-word and 12-label scores.
        Assert.Contains($"## Real people\n\n### people (`{real}`)\n\n| model | clips | 35-word accuracy |", markdown);
        var rows = Regex.Matches(markdown, @"(?m)^\| (?<model>[^|]+) \| 4 \| \d/4 \(\d+\.\d %\) \| \d/4 \(\d+\.\d %\) \| " +
            @"(?<right>\d)/3 \((?<percent>\d+\.\d) % ± (?<margin>\d+\.\d)\) \| \d+\.\d % \| \d+\.\d % \|$");
        Assert.Equal(["tfcrnn-resse", "crnn-resse", "shipped default model"], rows.Select(r => r.Groups["model"].Value));
        foreach (var row in rows.Cast<Match>())
        {
            var p = int.Parse(row.Groups["right"].Value) / 3.0;
            Assert.Equal((p * 100).ToString("F1", CultureInfo.InvariantCulture), row.Groups["percent"].Value);
            Assert.Equal((196 * Math.Sqrt(p * (1 - p) / 3)).ToString("F1", CultureInfo.InvariantCulture), row.Groups["margin"].Value);
        }
        Assert.Contains("`./tfcrnn eval --checkpoint DIR --data SET --twelve-label`", markdown);
        foreach (var scores in new[] { Path.Combine(folder.Path, "tfcrnn-resse"), Path.Combine(folder.Path, "default-model") })
        {
            Assert.True(File.Exists(Path.Combine(scores, "real-people", EvaluationFiles.Json)));
            Assert.True(File.Exists(Path.Combine(scores, "real-people", TwelveLabelBenchmark.Json)));
        }
        Assert.DoesNotContain("SPEC", markdown);
        CliLog.Write(result);

        // Run again with the encoder (the tests' stand-in): the finished runs are reused, the real sets scored again, and the
        // head over the speech embedding trains after them into OUT/embedding, its embeddings cached under OUT.
        var withEncoder = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = home.Path, [EncoderFiles.UnpinnedVariable] = EncoderFixtures.StandIn };
        string[] again = ["quickstart", "--out", folder.Path, "--data", data.Path, "--width", "8", "--max-epochs", "3", "--time-limit", "0.000001",
            "--batch-size", "8", "--threads", "1", "--augment", "paper,+gain", "--real", real, "--embedding-epochs", "2",
            "--embedding-batch-size", "8"];
        var rerun = (await CliRun.RunAsync(again, environment: withEncoder)).Succeeded();
        Assert.DoesNotMatch("(?m)^(tfcrnn|crnn)-resse epoch", rerun.Stderr);
        Assert.Matches("(?m)^embedding-tfgru epoch 2: train loss", rerun.Stderr);
        var rerunLines = rerun.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^embedding-tfgru: test accuracy \d+\.\d\d ?% \(best epoch [12] of 2\)$", rerunLines[2]);
        var headFolder = new RunFolder(Path.Combine(folder.Path, QuickstartPipeline.EmbeddingFolder));
        Assert.Equal(2, headFolder.ReadResult().Epochs);
        var head = headFolder.ReadConfig().Training;
        Assert.Equal(("embedding-tfgru", OptimizerKind.Adam, ScheduleKind.Cosine, 0.002, 8, (int?)2),
            (head.Variant, head.Optimizer, head.Schedule, head.LearningRate, head.BatchSize, head.AugmentCopies));
        Assert.Equal("paper,+gain", head.Augmentation.ToString());
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(folder.Path, "embedding-cache"), "*", SearchOption.AllDirectories));
        var withHead = File.ReadAllText(report);
        Assert.Matches(@"\| embedding-tfgru \| \d+\.\d\d % \| \d+\.\d\d\d \| [12] \| 2 \| \d+ s \|", withHead);
        Assert.Contains("embedding-tfgru (`embedding/`) is a head over the frozen speech embedding", withHead);
        Assert.DoesNotContain("No head over the speech embedding", withHead);
        Assert.Contains("![embedding-tfgru confusion](embedding/eval-test/", withHead);
        Assert.True(File.Exists(Path.Combine(headFolder.Directory, "eval-test", EvaluationFiles.Json)));

        // Real people: the head has its row beside the two models and the shipped ones (models/embedding too, now that an
        // encoder is there), which score as before; the shipped embedding model is said not to be held out.
        var headRows = Regex.Matches(withHead, @"(?m)^\| (?<model>[^|]+) \| 4 \| \d/4 \(\d+\.\d %\) \| \d/4 \(\d+\.\d %\) \| \d/3 \(\d+\.\d % ± \d+\.\d\) \| \d+\.\d % \| \d+\.\d % \|$");
        Assert.Equal(["tfcrnn-resse", "crnn-resse", "embedding-tfgru", "shipped default model", "shipped embedding model"],
            headRows.Select(r => r.Groups["model"].Value));
        Assert.Equal(rows.Select(r => r.Value), headRows.Where(r => r.Groups["model"].Value is not ("embedding-tfgru" or "shipped embedding model")).Select(r => r.Value));
        Assert.Contains("The shipped embedding model is the exception: it trained on every real clip", withHead);
        Assert.True(File.Exists(Path.Combine(headFolder.Directory, "real-people", TwelveLabelBenchmark.Json)));
        // Streaming stays the raw-waveform models'.
        var streaming = withHead[withHead.IndexOf("## Streaming", StringComparison.Ordinal)..withHead.IndexOf("## Files", StringComparison.Ordinal)];
        Assert.Contains("| tfcrnn-resse |", streaming);
        Assert.DoesNotContain("embedding-tfgru", streaming);
        CliLog.Write(rerun);

        // A third run reuses the finished head, and scores the real sets again into the same section.
        var third = (await CliRun.RunAsync(again, environment: withEncoder)).Succeeded();
        Assert.DoesNotMatch("(?m)^[a-z-]+ epoch 1: train loss", third.Stderr);
        static string RealSection(string text) => text[text.IndexOf("## Real people", StringComparison.Ordinal)..text.IndexOf("\n## Analyses", StringComparison.Ordinal)];
        Assert.Equal(RealSection(withHead), RealSection(File.ReadAllText(report)));
    }
}
