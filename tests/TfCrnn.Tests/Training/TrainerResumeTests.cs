using TfCrnn.Checkpoints;
using TfCrnn.Progress;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public sealed class TrainerResumeTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.05, ScheduleKind.Plateau)]
    [InlineData(OptimizerKind.Adam, 0.003, ScheduleKind.Plateau)] // Adam's moment estimates must be saved and restored too
    [InlineData(OptimizerKind.Adam, 0.003, ScheduleKind.Cosine)] // and the rate of the epoch it resumes in
    public async Task AResumedRunEndsWhereAnUninterruptedRunEnds(OptimizerKind optimizer, double learningRate, ScheduleKind schedule)
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        using var whole = new TempDirectory();
        using var split = new TempDirectory();
        TrainingOptions Options(string directory) =>
            TrainerTests.Options(tones.Path, directory) with { Optimizer = optimizer, LearningRate = learningRate, Schedule = schedule };
        var expected = await Trainer.RunAsync(Options(whole.Path));

        // Cancel in the middle of epoch 2 (the tenth training batch), then resume.
        using var cancel = new CancellationTokenSource();
        var batches = 0;
        var interrupted = Trainer.RunAsync(Options(split.Path), new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Training && ++batches == 10) cancel.Cancel();
        }), cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted);
        var saved = new RunFolder(split.Path).ReadState(RunFolder.Last);
        Assert.Equal(1, saved.Epoch);
        Assert.Equal(4, saved.InProgress.Batches);

        var resumed = await Trainer.RunAsync(Options(split.Path) with { Resume = true });

        Assert.Equal(expected.Epochs, resumed.Epochs);
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        Assert.Equal(expected.TestLoss, resumed.TestLoss, 5);
        Assert.Equal(expected.TestAccuracy, resumed.TestAccuracy);
        var a = new RunFolder(whole.Path).ReadMetrics();
        var b = new RunFolder(split.Path).ReadMetrics();
        Assert.Equal(a.Select(m => Math.Round(m.ValidLoss, 5)), b.Select(m => Math.Round(m.ValidLoss, 5)));
        Assert.Equal(a.Select(m => Math.Round(m.TrainLoss, 5)), b.Select(m => Math.Round(m.TrainLoss, 5)));
    }

    /// <summary>
    /// HarmonicCNN places each training clip at an offset drawn from the run's generator (its <c>ClipPlacement</c>):
    /// the state saved with the checkpoint makes a run stopped mid-epoch place the rest of its clips as an
    /// uninterrupted one does, and end with the same losses. Its dropout draws from the same generator.
    /// </summary>
    [Fact]
    public async Task AResumedHarmonicCnnRunPlacesItsClipsAsAnUninterruptedRunDoes()
    {
        using var tones = new ToneDataset(trainPerWord: 4, validPerWord: 1, testPerWord: 1);
        using var whole = new TempDirectory();
        using var split = new TempDirectory();
        TrainingOptions Options(string directory) =>
            ToneDataset.TinyTraining(tones.Path, directory, "harmonic-cnn") with { MaxEpochs = 2, Seed = 4, LearningRate = 0.05 };
        var expected = await Trainer.RunAsync(Options(whole.Path));

        // Cancel in the middle of epoch 2 (its second of three batches), then resume.
        using var cancel = new CancellationTokenSource();
        var batches = 0;
        var interrupted = Trainer.RunAsync(Options(split.Path), new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Training && ++batches == 4) cancel.Cancel();
        }), cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted);
        Assert.Equal(1, new RunFolder(split.Path).ReadState(RunFolder.Last).InProgress.Batches);

        var resumed = await Trainer.RunAsync(Options(split.Path) with { Resume = true });

        Assert.Equal(expected.TestLoss, resumed.TestLoss, 5);
        Assert.Equal(new RunFolder(whole.Path).ReadMetrics().Select(m => Math.Round(m.TrainLoss, 5)),
            new RunFolder(split.Path).ReadMetrics().Select(m => Math.Round(m.TrainLoss, 5)));
    }

    [Fact]
    public async Task ASessionStoppedByItsTimeLimitIsTestedAndResumesToTheUninterruptedEnd()
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        using var whole = new TempDirectory();
        using var split = new TempDirectory();
        var expected = await Trainer.RunAsync(TrainerTests.Options(tones.Path, whole.Path));

        // A limit that every epoch passes: the session ends after its first epoch, tests the best checkpoint and says so.
        var stopped = await Trainer.RunAsync(TrainerTests.Options(tones.Path, split.Path) with { TimeLimitMinutes = 1e-9 });
        Assert.True(stopped.TimeLimitReached);
        Assert.Equal(1, stopped.Epochs);
        var folder = new RunFolder(split.Path);
        Assert.True(folder.ReadResult().TimeLimitReached);
        Assert.Contains("\"time_limit_reached\": true", File.ReadAllText(folder.ResultPath));
        Assert.False(folder.ReadState(RunFolder.Last).Finished);

        // The limit holds per session: the next one gets its own (here none) and ends where the whole run ended.
        var resumed = await Trainer.RunAsync(TrainerTests.Options(tones.Path, split.Path) with { Resume = true });
        Assert.False(resumed.TimeLimitReached);
        Assert.False(folder.ReadResult().TimeLimitReached);
        Assert.Equal(expected.Epochs, resumed.Epochs);
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        Assert.Equal(expected.TestLoss, resumed.TestLoss, 5);
        Assert.Equal(new RunFolder(whole.Path).ReadMetrics().Select(m => Math.Round(m.TrainLoss, 5)),
            folder.ReadMetrics().Select(m => Math.Round(m.TrainLoss, 5)));
    }

    [Fact]
    public async Task RunsSideBySideInOneProcessEndAsEachAlone()
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        using var alone = new TempDirectory();
        using var together = new TempDirectory();
        // Two variants with dropout in the head and in residual branches, seeded differently, as the quickstart runs them.
        TrainingOptions Run(string root, string variant, int seed) =>
            ToneDataset.TinyTraining(tones.Path, Path.Combine(root, variant), variant) with { MaxEpochs = 2, Seed = seed };
        foreach (var (variant, seed) in Pair)
            await Trainer.RunAsync(Run(alone.Path, variant, seed));

        await Task.WhenAll(Pair.Select(p => Trainer.RunAsync(Run(together.Path, p.Variant, p.Seed))));

        foreach (var (variant, _) in Pair)
        {
            using var expected = CheckpointLocator.LoadModel(Path.Combine(alone.Path, variant));
            using var actual = CheckpointLocator.LoadModel(Path.Combine(together.Path, variant));
            var weights = actual.state_dict();
            foreach (var (name, value) in expected.state_dict())
                Assert.True(value.equal(weights[name]).all().item<bool>(), $"{variant} {name} differs when trained beside another run");
            Assert.Equal(new RunFolder(Path.Combine(alone.Path, variant)).ReadMetrics().Select(m => m.TrainLoss),
                new RunFolder(Path.Combine(together.Path, variant)).ReadMetrics().Select(m => m.TrainLoss));
        }
    }

    private static readonly (string Variant, int Seed)[] Pair = [("tfcrnn-resse", 3), ("crnn-resse", 4)];
}
