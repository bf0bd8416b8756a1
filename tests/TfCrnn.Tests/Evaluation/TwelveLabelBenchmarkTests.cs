using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Runtime;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Evaluation;

/// <summary><see cref="TwelveLabelBenchmark"/>: the 12-label scoring of a model with another label set.</summary>
public sealed class TwelveLabelBenchmarkTests
{
    private static readonly LabelSet Labels = LabelTasks.CommandsAndNone.Classes;

    /// <summary>A model whose top word is written in the clip: a constant level (k + 1) / 64 means class k.</summary>
    private sealed class ScriptedClassifier : ClipClassifier
    {
        public override LabelSet Labels => TwelveLabelBenchmarkTests.Labels;

        public override string Variant => "scripted";

        public override Device Device => CPU;

        public override Tensor Logits(Tensor waveforms)
        {
            var level = waveforms[.., 0, Preprocessing.ClipSamples / 2] / Preprocessing.InputScale * 64 - 1;
            return nn.functional.one_hot(level.round().to(ScalarType.Int64), Labels.Count).to(ScalarType.Float32).unsqueeze(0) * 10;
        }

        public override void Dispose() { }
    }

    private static void Clip(string root, string folder, string topWord, int n)
    {
        var level = (Labels.IndexOf(topWord)!.Value + 1) / 64f;
        WavFile.WritePcm16(Path.Combine(root, folder, $"{topWord}_{n}.wav"), Enumerable.Repeat(level, 16000).ToArray(), 16000);
    }

    [Fact]
    public void TenWordClipsNeedTheirWordAndOtherClipsAnyWordButTheTen()
    {
        using var folder = new TempDirectory("twelve");
        Clip(folder.Path, "yes", "yes", 0);
        Clip(folder.Path, "yes", "yes", 1);
        Clip(folder.Path, "yes", "no", 2);               // another of the ten: wrong
        Clip(folder.Path, "go", "go", 0);
        Clip(folder.Path, "go", "_none_", 1);            // rejected: wrong
        Clip(folder.Path, "_unknown_", "_none_", 0);
        Clip(folder.Path, "_unknown_", "bed", 1);        // a word outside the ten: right
        Clip(folder.Path, "_unknown_", "up", 2);         // one of the ten: wrong
        Clip(folder.Path, "_silence_", "_none_", 0);
        Clip(folder.Path, "_silence_", "stop", 1);       // wrong
        Clip(folder.Path, "bed", "bed", 0);              // any other folder counts as non-keyword
        Clip(folder.Path, SpeechCommandsDataset.BackgroundNoiseFolder, "yes", 0);   // never a clip

        using var model = new ScriptedClassifier();
        var report = TwelveLabelBenchmark.Score(model, TwelveLabelBenchmark.Files(folder.Path), batchSize: 4);

        Assert.Equal((5, 3), (report.Keywords.Clips, report.Keywords.Correct));
        Assert.Equal((6, 4), (report.NonKeywords.Clips, report.NonKeywords.Correct));
        Assert.Equal(7 / 11.0, report.Accuracy, 12);
        Assert.Equal(new Dictionary<string, FolderScore>
        {
            ["_silence_"] = new(2, 1),
            ["_unknown_"] = new(3, 2),
            ["bed"] = new(1, 1),
            ["go"] = new(2, 1),
            ["yes"] = new(3, 2),
        }, report.Folders);
        Assert.Equal(["no", "yes", "yes"], report.Predictions.Where(p => p.Folder == "yes").Select(p => p.TopWord));
        var json = System.Text.Json.Nodes.JsonNode.Parse(TwelveLabelBenchmark.ToJson(report))!;
        Assert.Equal((3, 5, 4, 6), ((int)json["keyword_correct"]!, (int)json["keyword_clips"]!, (int)json["non_keyword_correct"]!, (int)json["non_keyword_clips"]!));
        Assert.Equal(0.6, (double)json["keyword_accuracy"]!, 12);
    }

    [Fact]
    public async Task EvalTwelveLabelScoresTheShippedModelAndReportsBothAccuracies()
    {
        using var folder = new TempDirectory("twelve-cli");
        var data = folder.Combine("set");
        Clip(data, "yes", "yes", 0);
        Clip(data, "left", "left", 0);
        Clip(data, "_silence_", "_none_", 0);
        var output = folder.Combine("out");

        var json = (await CliRun.RunAsync(["eval", "--checkpoint", DefaultModel.Directory, "--data", data, "--twelve-label", "--out", output, "--json"]))
            .Succeeded().Json();

        Assert.Equal((3, 2, 1), ((int)json["clips"]!, (int)json["keyword_clips"]!, (int)json["non_keyword_clips"]!));
        var rows = File.ReadAllLines(Path.Combine(output, TwelveLabelBenchmark.PredictionsCsv)).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal((int)json["keyword_correct"]! + (int)json["non_keyword_correct"]!, rows.Count(r => r[^1] == "1"));
        Assert.All(rows, r => Assert.Equal(TwelveLabelBenchmark.Keywords.Contains(r[1]) ? r[2] == r[1] : !TwelveLabelBenchmark.Keywords.Contains(r[2]), r[^1] == "1"));
    }
}
