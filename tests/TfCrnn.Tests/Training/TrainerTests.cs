using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Progress;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

// Seeded runs judged against fixed thresholds: run alone so that other classes do not advance torch's generator.
[Collection(TorchGlobalStateCollection.Name)]
public sealed class TrainerTests : IClassFixture<TrainerTests.Tones>
{
    private readonly Tones tones;

    public TrainerTests(Tones tones) => this.tones = tones;

    /// <summary>One small dataset shared by the tests of this class.</summary>
    public sealed class Tones : IDisposable
    {
        internal ToneDataset Dataset { get; } = new(trainPerWord: 8, validPerWord: 2, testPerWord: 2);

        public void Dispose() => Dataset.Dispose();
    }

    internal static TrainingOptions Options(string dataPath, string output, int maxEpochs = 4) =>
        ToneDataset.TinyTraining(dataPath, output, "crnn-basic") with { MaxEpochs = maxEpochs, LearningRate = 0.05, Seed = 3 };

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.1)]
    [InlineData(OptimizerKind.Adam, 0.01)]
    public async Task ATinyModelFitsATinySet(OptimizerKind optimizer, double learningRate)
    {
        using var dir = new TempDirectory();
        var epochs = new List<EpochMetrics>();
        var result = await Trainer.RunAsync(
            Options(tones.Dataset.Path, dir.Path, maxEpochs: 16) with { Optimizer = optimizer, LearningRate = learningRate },
            new SynchronousProgress<TrainingProgress>(p => { if (p.Completed is { } m) epochs.Add(m); }));

        Assert.Equal(16, result.Epochs);
        Assert.Equal(Enumerable.Range(1, 16), epochs.Select(m => m.Epoch));
        Assert.True(epochs[^1].TrainLoss < epochs[0].TrainLoss / 2, $"train loss {epochs[0].TrainLoss} → {epochs[^1].TrainLoss}");
        Assert.True(result.TestAccuracy >= 0.5, $"test accuracy {result.TestAccuracy}");
        // Without dropout and augmentation (eval mode), the best checkpoint knows its training clips.
        using var model = CheckpointLocator.LoadModel(dir.Path);
        using var data = SpeechCommandsDataset.Open(tones.Dataset.Path);
        var fit = Evaluator.Evaluate(model, data, data.Clips(Split.Train)).Accuracy;
        Assert.True(fit >= 0.9, $"training-set accuracy {fit}");
    }

    [Fact]
    public async Task ACosineRunTrainsAtItsRatesUntilTheCap()
    {
        using var cosine = new TempDirectory();
        using var plateau = new TempDirectory();
        var options = Options(tones.Dataset.Path, cosine.Path, maxEpochs: 4) with { Schedule = ScheduleKind.Cosine };
        var result = await Trainer.RunAsync(options);
        await Trainer.RunAsync(Options(tones.Dataset.Path, plateau.Path, maxEpochs: 4));

        var metrics = new RunFolder(cosine.Path).ReadMetrics();
        Assert.Equal(4, result.Epochs);
        double[] rates = [0.05, 0.05 * (1 + Math.Sqrt(0.5)) / 2, 0.025, 0.05 * (1 - Math.Sqrt(0.5)) / 2];
        Assert.Equal(rates.Select(r => Math.Round(r, 12)), metrics.Select(m => Math.Round(m.LearningRate, 12)));
        Assert.All(metrics, m => Assert.Equal(1, m.Stage));
        // The same seed at the same first rate: epoch 1 is identical, and epoch 2 differs only because the optimizer took the new rate.
        var steady = new RunFolder(plateau.Path).ReadMetrics();
        Assert.Equal(steady[0].TrainLoss, metrics[0].TrainLoss);
        Assert.NotEqual(steady[1].TrainLoss, metrics[1].TrainLoss);
    }

    [Fact]
    public async Task TheRunFolderHoldsEverything()
    {
        using var dir = new TempDirectory();
        var result = await Trainer.RunAsync(Options(tones.Dataset.Path, dir.Path, maxEpochs: 2));
        var folder = new RunFolder(dir.Path);

        var config = folder.ReadConfig();
        Assert.Equal("crnn-basic", config.Model.Variant);
        Assert.Equal(8, config.Model.Width);
        Assert.Equal(OutputMode.ManyToMany, config.Training.Io);
        Assert.Equal(2, folder.ReadMetrics().Count);
        Assert.Single(Directory.GetFiles(dir.Path, "events.out.tfevents.*"));
        // TensorBoard's view of the run: metrics.csv's numbers, five per epoch.
        Assert.Equal(folder.ReadMetrics().SelectMany(m => new[]
            {
                ("loss/train", (long)m.Epoch, (float)m.TrainLoss), ("loss/valid", m.Epoch, (float)m.ValidLoss),
                ("accuracy/train", m.Epoch, (float)m.TrainAccuracy), ("accuracy/valid", m.Epoch, (float)m.ValidAccuracy),
                ("learning_rate", m.Epoch, (float)m.LearningRate),
            }),
            TensorBoardEventReader.ReadScalars(Directory.GetFiles(dir.Path, "events.out.tfevents.*")[0]).Select(e => (e.Tag, e.Step, e.Value)));
        foreach (var checkpoint in new[] { RunFolder.Best, RunFolder.Last })
            foreach (var file in new[] { "config.json", "model.pt", RunFolder.OptimizerFile, RunFolder.StateFile })
                Assert.True(File.Exists(Path.Combine(dir.Path, checkpoint, file)), $"{checkpoint}/{file}");
        Assert.Empty(Directory.GetDirectories(dir.Path, "*.tmp-*"));
        Assert.Empty(Directory.GetDirectories(dir.Path, "*.old-*"));

        var saved = folder.ReadResult();
        Assert.Equal(new RunResult("crnn-basic", "many2many", 3, result.TestAccuracy, result.TestLoss, result.BestEpoch, 2, result.WallSeconds), saved);
        var json = File.ReadAllText(folder.ResultPath);
        Assert.Contains("\"test_accuracy\":", json);
        Assert.Contains("\"io\": \"many2many\"", json);
    }

    [Fact]
    public async Task AnExistingRunIsNotOverwritten()
    {
        using var dir = new TempDirectory();
        await Trainer.RunAsync(Options(tones.Dataset.Path, dir.Path, maxEpochs: 1));
        var error = await Assert.ThrowsAsync<TrainingException>(() => Trainer.RunAsync(Options(tones.Dataset.Path, dir.Path, maxEpochs: 1)));
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public async Task ResumingWithoutACheckpointIsAClearError()
    {
        using var dir = new TempDirectory();
        var error = await Assert.ThrowsAsync<TrainingException>(() => Trainer.RunAsync(Options(tones.Dataset.Path, dir.Path) with { Resume = true }));
        Assert.Contains("nothing to resume", error.Message);
    }

    [Fact]
    public async Task ADivergingRunStopsWithAClearMessageAndKeepsTheLastGoodCheckpoint()
    {
        using var dir = new TempDirectory();
        var error = await Assert.ThrowsAsync<TrainingException>(() =>
            Trainer.RunAsync(Options(tones.Dataset.Path, dir.Path) with { LearningRate = 1e30 }));
        Assert.Matches("(training|validation) loss became (NaN|∞|-∞|Infinity)", error.Message);
        Assert.Contains("last good checkpoint", error.Message);
        var state = new RunFolder(dir.Path).ReadState(RunFolder.Last);
        Assert.Equal(0, state.Epoch);
    }

    [SkippableFact]
    public async Task CudaWithoutCudaIsAClearError()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "CUDA is available here, so --device cuda is no error");
        using var dir = new TempDirectory();
        var error = await Assert.ThrowsAsync<TrainingException>(() => Trainer.RunAsync(Options(tones.Dataset.Path, dir.Path) with { Device = ComputeDevice.Cuda }));
        Assert.Contains("CUDA is not available", error.Message);
    }
}
