using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public sealed class TrainerResumeTests
{
    [Fact]
    public async Task AResumedRunEndsWhereAnUninterruptedRunEnds()
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        using var whole = new TempDirectory();
        using var split = new TempDirectory();
        var expected = await Trainer.RunAsync(TrainerTests.Options(tones.Path, whole.Path));

        // Cancel in the middle of epoch 2 (the tenth training batch), then resume.
        using var cancel = new CancellationTokenSource();
        var batches = 0;
        var interrupted = Trainer.RunAsync(TrainerTests.Options(tones.Path, split.Path), new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Phase == TrainingPhase.Training && ++batches == 10) cancel.Cancel();
        }), cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted);
        var saved = new RunFolder(split.Path).ReadState(RunFolder.Last);
        Assert.Equal(1, saved.Epoch);
        Assert.Equal(4, saved.InProgress.Batches);

        var resumed = await Trainer.RunAsync(TrainerTests.Options(tones.Path, split.Path) with { Resume = true });

        Assert.Equal(expected.Epochs, resumed.Epochs);
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        Assert.Equal(expected.TestLoss, resumed.TestLoss, 5);
        Assert.Equal(expected.TestAccuracy, resumed.TestAccuracy);
        var a = new RunFolder(whole.Path).ReadMetrics();
        var b = new RunFolder(split.Path).ReadMetrics();
        Assert.Equal(a.Select(m => Math.Round(m.ValidLoss, 5)), b.Select(m => Math.Round(m.ValidLoss, 5)));
        Assert.Equal(a.Select(m => Math.Round(m.TrainLoss, 5)), b.Select(m => Math.Round(m.TrainLoss, 5)));
    }
}
