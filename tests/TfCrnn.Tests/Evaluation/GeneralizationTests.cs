using System.Text.Json;
using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Evaluation;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Evaluation;

public sealed class GeneralizationTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public void ScoresCleanThenEachSnrDeterministically()
    {
        using var data = SpeechCommandsDataset.Open(run.Dataset.Path);
        using var model = CheckpointLocator.LoadModel(run.Path);
        var clips = data.AllClips;
        var report = Generalization.Evaluate(model, data, clips, [20, -10], seed: 3);

        Assert.Equal(["clean", "20 dB", "-10 dB"], report.Conditions.Select(c => c.Name));
        Assert.Equal([NoiseKind.White, NoiseKind.Pink, NoiseKind.Brown, NoiseKind.Babble], report.NoiseKinds);
        var clean = Evaluator.Evaluate(model, data, clips);
        Assert.Equal(clean.Predictions.Select(p => p.Predicted), report.Conditions[0].Report.Predictions.Select(p => p.Predicted));
        Assert.All(report.Conditions, c => Assert.Equal(clips.Count, c.Report.Clips));
        // Loud noise changes the model's outputs; the same seed gives the same noisy clips.
        Assert.NotEqual(report.Conditions[0].Report.Loss, report.Conditions[2].Report.Loss);
        var again = Generalization.Evaluate(model, data, clips, [-10], seed: 3);
        Assert.Equal(report.Conditions[2].Report.Loss, again.Conditions[1].Report.Loss, 6);
        Assert.NotEqual(report.Conditions[2].Report.Loss, Generalization.Evaluate(model, data, clips, [-10], seed: 4).Conditions[1].Report.Loss, 6);

        var markdown = Generalization.Markdown([report, again with { Model = "other" }]);
        Assert.Contains("| model | data | clips | clean | 20 dB | -10 dB |", markdown);
        Assert.Contains($"| other | {report.Data} | {clips.Count} | {report.Conditions[0].Report.Accuracy * 100:0.0} | – | ", markdown);
        Assert.Contains("<summary>Per-class recall (%): tfcrnn-se on", markdown);
        Assert.Contains($"| down | {clips.Count(c => c.Label == "down")} | ", markdown);
    }

    [Fact]
    public async Task EvalWithSnrRunsAsAUserRunsIt()
    {
        using var output = new TempDirectory("generalization");
        var stdout = await CliRun.SucceedAsync("eval", "--checkpoint", run.Path, "--data", run.Dataset.Path, "--split", "test",
            "--snr", "10,0", "--threads", "1", "--out", output.Path, "--json");
        using var json = JsonDocument.Parse(stdout);
        var conditions = json.RootElement.GetProperty("conditions").EnumerateArray().ToList();
        Assert.Equal(3, conditions.Count);
        Assert.Equal(JsonValueKind.Null, conditions[0].GetProperty("snr_db").ValueKind);
        Assert.Equal(0, conditions[2].GetProperty("snr_db").GetDouble());
        Assert.Equal(ToneDataset.Words.Length, conditions[1].GetProperty("per_class_recall").EnumerateObject().Count());
        Assert.True(File.Exists(Path.Combine(output.Path, Generalization.MarkdownFile)));
        Assert.True(File.Exists(Path.Combine(output.Path, EvaluationFiles.Json)));
    }
}
