using System.Text.Json.Nodes;
using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Interop;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary><c>train</c>, <c>eval</c>, <c>predict</c>, <c>import</c> and <c>info</c> as a user runs them, on <see cref="CliWorld"/>.</summary>
public sealed class ModelVerbTests
{
    [Fact]
    public async Task TrainPrintsTheTestScoreAndWritesACompleteRunFolder()
    {
        var world = await CliWorld.GetAsync();
        var result = world.CandidateTraining.Succeeded();

        Assert.Matches(@"^test accuracy \d+\.\d\d ?% \(loss [\d.]+\) at best epoch 1 of 1; \d+ s; run folder ", result.Stdout);
        Assert.Contains("epoch 1: train loss", result.Stderr);
        // libtorch's NNPACK, which cannot start on some CPUs, said so before every convolution it was asked about.
        Assert.DoesNotContain("NNPACK", result.Stderr);
        var run = new RunFolder(world.Candidate);
        Assert.True(run.HasCheckpoint(RunFolder.Best) && run.HasCheckpoint(RunFolder.Last));
        Assert.Equal(("tfcrnn-se", 1), (run.ReadResult().Model, run.ReadResult().Epochs));
        Assert.Single(run.ReadMetrics());
        Assert.Single(Directory.GetFiles(world.Candidate, "events.out.tfevents.*"));
    }

    [Fact]
    public async Task EvalPrintsTheScoreWritesTheDefaultFolderAndItsJsonHasTheDocumentedShape()
    {
        var world = await CliWorld.GetAsync();
        using var folder = new TempDirectory("cli-eval");

        var text = (await CliRun.RunAsync(["eval", "--checkpoint", world.Candidate, "--data", world.Data, "--threads", "1"],
            workingDirectory: folder.Path)).Succeeded();
        Assert.Matches(@"^test: accuracy \d+\.\d\d ?%, loss [\d.]+, 12 clips\s*$", text.Stdout);
        // A run folder's default output folder is RUN/eval-SPLIT.
        var defaultFolder = EvaluationOptions.DefaultOutputDirectory(world.Candidate, EvaluationSplit.Test);
        Assert.Equal(Path.Combine(world.Candidate, "eval-test"), defaultFolder);
        foreach (var file in new[] { EvaluationFiles.Json, EvaluationFiles.PerClassCsv, EvaluationFiles.ConfusionCsv, EvaluationFiles.ConfusionPng, EvaluationFiles.PredictionsCsv })
            Assert.True(File.Exists(Path.Combine(defaultFolder, file)), file);

        var json = (await CliRun.RunAsync(["eval", "--checkpoint", world.Candidate, "--data", world.Data, "--split", "valid", "--json",
            "--out", folder.Combine("valid"), "--batch-size", "5"])).Succeeded().Json();
        Assert.Equal(["accuracy", "loss", "clips", "per_class"], json.AsObject().Select(p => p.Key));
        Assert.Equal(12, (int)json["clips"]!);
        Assert.InRange((double)json["accuracy"]!, 0, 1);
        var perClass = json["per_class"]!.AsObject();
        Assert.Subset(ToneDataset.Words.ToHashSet(), perClass.Select(p => p.Key).ToHashSet());
        Assert.All(perClass, p => Assert.Equal(["precision", "recall", "f1", "support"], p.Value!.AsObject().Select(k => k.Key)));
        Assert.Equal(12, perClass.Sum(p => (int)p.Value!["support"]!));
        CliLog.Write(text);
    }

    [Fact]
    public async Task PredictFitsAnyWavToTheModelAndListsTheTopWordsWithTheirSteps()
    {
        var world = await CliWorld.GetAsync();

        var text = (await CliRun.RunAsync(["predict", "--checkpoint", world.Candidate, "--top", "3", "--steps", world.StereoWav])).Succeeded();
        var lines = text.Stdout.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(world.StereoWav)}: (\w+ [01]\.\d{{3}}, ){{2}}\w+ [01]\.\d{{3}}$", lines[0]);
        Assert.All(lines[1..], l => Assert.Matches(@"^  \w+\s+([01]\.\d{3} ){8}[01]\.\d{3}$", l)); // 9 steps of a recurrent model
        Assert.Contains("note: " + world.StereoWav + ": mixed 2 channels down to mono", text.Stderr);
        Assert.Contains("resampled from 8000 Hz to 16000 Hz", text.Stderr);
        Assert.Contains("1.5 s long: kept the middle 1 s", text.Stderr);

        var json = (await CliRun.RunAsync(["predict", "--checkpoint", world.Candidate, "--json", "--steps", world.StereoWav, world.StereoWav]))
            .Succeeded().Json().AsArray();
        Assert.Equal(2, json.Count);
        var item = json[0]!.AsObject();
        Assert.Equal(["file", "top", "notes", "steps"], item.Select(p => p.Key));
        var top = item["top"]!.AsArray();
        Assert.Equal(5, top.Count);
        Assert.All(top, w => Assert.Equal(["word", "probability"], w!.AsObject().Select(p => p.Key)));
        Assert.True((float)top[0]!["probability"]! >= (float)top[1]!["probability"]!);
        var steps = item["steps"]!.AsObject();
        Assert.Equal(top.Select(w => (string)w!["word"]!), steps.Select(p => p.Key));
        // A word's last step is its listed probability.
        Assert.All(top, w => Assert.Equal((float)w!["probability"]!, (float)steps[(string)w["word"]!]!.AsArray()[^1]!));
        Assert.Equal(3, item["notes"]!.AsArray().Count);
        CliLog.Write(text);
    }

    [Fact]
    public async Task PredictRunsInThePrecisionThisCpuSupportsAndRefusesBf16WhereItLacksIt()
    {
        var world = await CliWorld.GetAsync();
        var fp32 = (await CliRun.RunAsync(["predict", "--checkpoint", world.Candidate, "--precision", "fp32", "--json", world.StereoWav])).Succeeded();
        var byDefault = (await CliRun.RunAsync(["predict", "--checkpoint", world.Candidate, "--json", world.StereoWav])).Succeeded();
        Assert.Equal(byDefault.Stdout, fp32.Stdout);

        var bf16 = await CliRun.RunAsync(["predict", "--checkpoint", world.Candidate, "--precision", "bf16", "--top", "1", world.StereoWav]);
        if (CpuInfo.Current.SupportsBFloat16)
            bf16.Succeeded();
        else
            Assert.StartsWith("error: --precision bf16 needs a CPU with AVX-512 BF16 or AMX", bf16.FailedWith());
        CliLog.Write(bf16);
    }

    [Fact]
    public async Task ImportChecksParityWithTheReferenceAndWritesAModelFolderPredictAccepts()
    {
        var fixtures = ReferenceFixtures.Narrow;
        using var folder = new TempDirectory("cli-import");
        var model = folder.Combine("model");

        var result = (await CliRun.RunAsync(["import", "--from-pytorch", fixtures.File("tfcrnn-resse.pt"), "--model", "tfcrnn-resse",
            "--width", "16", "--out", model, "--check", fixtures.File("tfcrnn-resse.io.pt")])).Succeeded();
        Assert.Matches(@"(?m)^logits max_abs_diff=\d\.\de-\d\d$", result.Stdout);
        Assert.Contains("predictions equal", result.Stdout);
        Assert.Contains("parity ok", result.Stdout);
        Assert.True(File.Exists(Path.Combine(model, ModelFolder.ConfigFile)));
        (await CliRun.RunAsync(["predict", "--checkpoint", model, "--top", "1", fixtures.File("short_clip.wav")])).Succeeded();
        CliLog.Write(result);

        // Right variant and shapes, other weights: the check fails, exit status 1, nothing written.
        using var other = ModelFactory.Create("cnn-se", fixtures.Width);
        PyTorchWeights.Save(other, folder.Combine("random.pt"));
        var failed = await CliRun.RunAsync(["import", "--from-pytorch", folder.Combine("random.pt"), "--model", "cnn-se", "--width", "16",
            "--out", folder.Combine("rejected"), "--check", fixtures.File("cnn-se.io.pt")]);
        Assert.Contains("parity check failed", failed.FailedWith(1));
        Assert.Contains("parity FAILED", failed.Stdout);
        Assert.False(Directory.Exists(folder.Combine("rejected")));
        CliLog.Write(failed);
    }

    [Fact]
    public async Task InfoListsEveryModelOfTheRegistryAsATableAndAsJson()
    {
        var json = (await CliRun.RunAsync(["info", "--json", "--width", "8"])).Succeeded().Json().AsArray();
        Assert.Equal(ModelRegistry.Names, json.Select(v => (string)v!["model"]!));
        Assert.All(json, v => Assert.Equal(["model", "front_end", "trunk", "head", "parameters", "macs", "steps", "window", "hop", "blocks"],
            v!.AsObject().Select(p => p.Key)));
        var tfcrnn = json.Single(v => (string)v!["model"]! == "tfcrnn-resse")!;
        Assert.Equal((9, 3200, 1600, 6), ((int)tfcrnn["steps"]!, (int)tfcrnn["window"]!, (int)tfcrnn["hop"]!, (int)tfcrnn["blocks"]!));
        Assert.Equal(("waveform", "stem and TF-Res-SE blocks per window, gated by h(t-1)", "max over time, dropout, GRU cell, linear"),
            ((string)tfcrnn["front_end"]!, (string)tfcrnn["trunk"]!, (string)tfcrnn["head"]!));
        Assert.Equal(ModelSummary.Of(ModelConfig.For("tfcrnn-resse") with { Width = 8 }).Parameters, (long)tfcrnn["parameters"]!);
        // A head over the speech embedding has no width: --width leaves it as it is.
        var embedding = json.Single(v => (string)v!["model"]! == "embedding-tfgru")!;
        Assert.Equal(("speech-embedding", 36_116L, 16, 13_152, 1_280), ((string)embedding["front_end"]!, (long)embedding["parameters"]!,
            (int)embedding["steps"]!, (int)embedding["window"]!, (int)embedding["hop"]!));

        var table = (await CliRun.RunAsync(["info"])).Succeeded();
        Assert.Contains("3,407,843", table.Stdout); // TF-Res-SE TF-CRNN at the paper's width
        // Each model twice: its sizes, then what it is built of.
        Assert.All(ModelRegistry.Names, v => Assert.Equal(2, table.Stdout.Split($" {v} ").Length - 1));
        Assert.Contains("gated by h(t-1)", table.Stdout);
    }

    [Fact]
    public void HelpOfEveryVerbExits0()
    {
        // Required options missing: help still wins.
        foreach (var verb in new[] { "train", "analyze failure", "table plan" })
        {
            var result = CliRun.Run([.. verb.Split(' '), "--help"]).Succeeded();
            Assert.Contains($"tfcrnn {verb}", result.Stdout);
        }
    }
}
