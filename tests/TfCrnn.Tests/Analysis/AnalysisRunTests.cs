using TfCrnn.Analysis;
using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Analysis;

/// <summary>The analyses end to end on a tone dataset with small untrained models saved as model folders.</summary>
public sealed class AnalysisRunTests : IClassFixture<AnalysisRunTests.Models>
{
    private readonly Models models;

    public AnalysisRunTests(Models models) => this.models = models;

    [Fact]
    public async Task ExcitationAveragesEveryBlockAndTheInputEnergyOfEachCommand()
    {
        using var output = new TempDirectory("excitation");
        var result = await ExcitationAnalysis.RunAsync(models.Options(models.TfCrnn, output.Path, "up", "yes"));

        var summary = result.Result;
        Assert.Equal(["up", "yes"], summary.Commands.Select(c => c.Command));
        Assert.All(summary.Commands, c => Assert.Equal((3, 6), (c.Clips, c.Blocks)));
        // The scales are the model's own excitations, averaged over channels and clips: one clip at a time here.
        using var data = SpeechCommandsDataset.Open(models.Dataset.Path);
        var upClips = data.Clips(Split.Test).Where(c => c.Label == "up").ToList();
        using var model = CheckpointLocator.LoadModel(models.TfCrnn);
        var expectedScale = new double[6, 9];
        foreach (var clip in upClips)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var noGrad = TorchSharp.torch.no_grad();
            var input = TorchSharp.torch.tensor(data.ReadPreprocessed(clip), [1, 1, 16000]);
            using var forward = model.Forward(input, ForwardExtras.Excitations);
            for (var b = 0; b < 6; b++)
            {
                var perStep = forward.Excitations[b].mean([1, 2]).data<float>().ToArray(); // (steps, 1, C) → steps
                for (var t = 0; t < 9; t++) expectedScale[b, t] += perStep[t] / upClips.Count;
            }
        }
        for (var b = 0; b < 6; b++)
            Assert.Equal(Enumerable.Range(0, 9).Select(t => expectedScale[b, t]), summary.Commands[0].BlockScale(b), (x, y) => Math.Abs(x - y) < 1e-5);
        // The energy is that of the preprocessed clips the model saw.
        var timeline = new StepGeometry(3200, 1600, 9);
        var expected = Enumerable.Range(0, 9)
            .Select(t => upClips.Average(c => ExcitationAnalysis.StepRms(data.ReadPreprocessed(c), timeline)[t])).ToArray();
        Assert.Equal(expected, summary.Commands[0].Energy, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.All(result.Files, file => Assert.True(File.Exists(file), file));
    }

    [Fact]
    public async Task ExcitationRefusesModelsWithoutFeedback()
    {
        using var output = new TempDirectory("excitation");
        var error = await Assert.ThrowsAsync<TfCrnnException>(() => ExcitationAnalysis.RunAsync(models.Options(models.Crnn, output.Path)));
        Assert.Contains("needs a TF-CRNN", error.Message);
        Assert.Contains("crnn-se", error.Message);
    }

    [Fact]
    public async Task TrajectoryAveragesTheEvaluatorsStepProbabilities()
    {
        using var output = new TempDirectory("trajectory");
        var result = await TrajectoryAnalysis.RunAsync(models.Options(models.Crnn, output.Path, "go"));

        var go = Assert.Single(result.Result);
        Assert.Equal((3, "go"), (go.Clips, go.Lines[0].Label));
        using var data = SpeechCommandsDataset.Open(models.Dataset.Path);
        using var model = CheckpointLocator.LoadModel(models.Crnn);
        var predictions = Evaluator.Evaluate(model, data, [.. data.Clips(Split.Test).Where(c => c.Label == "go")]).Predictions;
        var goIndex = Labels.IndexOf("go");
        Assert.Equal(Enumerable.Range(0, 9).Select(t => predictions.Average(p => (double)p.StepProbabilities[t][goIndex])),
            go.Lines[0].MeanProbability, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public async Task UnknownOrAbsentWordsAreClearErrors()
    {
        using var output = new TempDirectory("trajectory");
        Assert.Equal("--words 'upp' is not one of the 35 Speech Commands words", (await Assert.ThrowsAsync<OptionException>(() =>
            TrajectoryAnalysis.RunAsync(models.Options(models.Crnn, output.Path, "upp")))).Message);
        Assert.Contains("no test clips of 'bird'", (await Assert.ThrowsAsync<TfCrnnException>(() =>
            TrajectoryAnalysis.RunAsync(models.Options(models.Crnn, output.Path, "bird")))).Message);
    }

    [Fact]
    public async Task FailureComparesTwoCheckpointsOnTheSameClips()
    {
        using var output = new TempDirectory("failure");
        var result = await FailureAnalysis.RunAsync(new FailureAnalysisOptions
        {
            Baseline = models.Crnn,
            Candidate = models.TfCrnn,
            DataPath = models.Dataset.Path,
            OutputDirectory = output.Path,
        });

        Assert.Equal(ToneDataset.Words.Order(), result.Result.ByDifference.Select(f => f.Command).Order());
        Assert.Equal(3, result.Result.Commands.Count);
        Assert.StartsWith("# Failure analysis: tfcrnn-se vs crnn-se\n", File.ReadAllText(Path.Combine(output.Path, FailureReport.Markdown)));
        Assert.All(result.Files, file => Assert.True(File.Exists(file), file));
    }

    [Fact]
    public async Task PaperAnalysesWriteOneReportSectionLinkingEveryFigure()
    {
        using var report = new TempDirectory("report");
        var result = await PaperAnalyses.RunAsync(new PaperAnalysesOptions
        {
            Baseline = models.Crnn,
            Candidate = models.TfCrnn,
            DataPath = models.Dataset.Path,
            OutputDirectory = report.Combine("analysis"),
            ReportDirectory = report.Path,
            ExcitationWords = ["up", "yes"],
            BatchSize = 8,
        });

        Assert.Equal(result.Failure.Commands, result.Trajectories.Select(t => t.Command));
        Assert.Equal(["up", "yes"], result.Excitation!.Commands.Select(c => c.Command));
        Assert.StartsWith("## Analyses (the paper's failure analysis, prediction trajectories and temporal excitation; test split)\n", result.Markdown);
        foreach (var figure in new[] { FailureReport.F1Figure, FailureReport.ConfusionFigure, TrajectoryReport.Figure, ExcitationReport.Figure })
        {
            Assert.Contains($"](analysis/{figure})", result.Markdown);
            Assert.True(File.Exists(report.Combine("analysis", figure)), figure);
        }
        Assert.Contains("\n### Failure analysis: tfcrnn-se vs crnn-se\n", result.Markdown);
        Assert.Contains("\n#### Confusions of ", result.Markdown);
    }

    /// <summary>A tone dataset (3 test clips per word) and two width-8 models saved as model folders.</summary>
    public sealed class Models : IDisposable
    {
        private readonly TempDirectory folders = new("analysis-models");

        public Models()
        {
            Dataset = new ToneDataset(trainPerWord: 2, validPerWord: 1, testPerWord: 3);
            Crnn = Save("crnn-se");
            TfCrnn = Save("tfcrnn-se");
        }

        internal ToneDataset Dataset { get; }

        public string Crnn { get; }

        public string TfCrnn { get; }

        internal ModelAnalysisOptions Options(string checkpoint, string output, params string[] words) => new()
        {
            Checkpoint = checkpoint,
            DataPath = Dataset.Path,
            OutputDirectory = output,
            Words = words,
            BatchSize = 4,
        };

        private string Save(string variant)
        {
            TorchSharp.torch.manual_seed(3);
            using var model = ModelFactory.Create(ModelConfig.For(variant) with { Width = 8, HiddenSize = 16 });
            var directory = folders.Combine(variant);
            ModelFolder.Save(model, directory);
            return directory;
        }

        public void Dispose()
        {
            Dataset.Dispose();
            folders.Dispose();
        }
    }
}
