using TfCrnn.Checkpoints;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;
using TfCrnn.Training;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Training;

[Collection(TorchGlobalStateCollection.Name)]
public sealed class FineTuneTests
{
    [Fact]
    public async Task AFineTunedRunStartsFromTheGivenWeights()
    {
        using var tones = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        using var output = new TempDirectory("fine-tune");
        string Run(string name) => Path.Combine(output.Path, name);
        await Trainer.RunAsync(TrainerTests.Options(tones.Path, Run("start"), maxEpochs: 2));

        // At a vanishing rate one epoch leaves the parameters where they started: the given model's, not the seed's.
        var still = TrainerTests.Options(tones.Path, "", maxEpochs: 1) with { LearningRate = 1e-9 };
        await Trainer.RunAsync(still with { OutputDirectory = Run("tuned"), InitFrom = Run("start") });
        await Trainer.RunAsync(still with { OutputDirectory = Run("fresh") });

        Assert.True(LargestDifference(Run("start"), Path.Combine(Run("tuned"), RunFolder.Last)) < 1e-5);
        Assert.True(LargestDifference(Run("start"), Path.Combine(Run("fresh"), RunFolder.Last)) > 1e-3);
        Assert.Equal(Run("start"), new RunFolder(Run("tuned")).ReadConfig().Training.InitFrom);
    }

    [Fact]
    public async Task AFineTunedRunRefusesAModelOfAnotherShape()
    {
        using var tones = new ToneDataset(trainPerWord: 2, validPerWord: 1, testPerWord: 1);
        using var output = new TempDirectory("fine-tune");
        var start = Path.Combine(output.Path, "start");
        await Trainer.RunAsync(TrainerTests.Options(tones.Path, start, maxEpochs: 1));

        var wider = TrainerTests.Options(tones.Path, Path.Combine(output.Path, "wider"), maxEpochs: 1) with { Width = 16, InitFrom = start };
        var error = await Assert.ThrowsAsync<OptionException>(() => Trainer.RunAsync(wider));
        Assert.Equal("--init-from", error.Option);
        Assert.Contains("crnn-basic at width 8", error.Message);
        Assert.Contains("crnn-basic at width 16", error.Message);
        Assert.False(Directory.Exists(wider.OutputDirectory));
    }

    [Fact]
    public async Task TrainFineTunesFromTheCommandLineAndNamesABadStart()
    {
        using var tones = new ToneDataset(trainPerWord: 2, validPerWord: 1, testPerWord: 1);
        using var output = new TempDirectory("fine-tune-cli");
        string[] Train(string run, params string[] more) => TrainAt("8", run, more);
        string[] TrainAt(string width, string run, params string[] more) =>
            ["train", "--data", tones.Path, "--model", "cnn-basic", "--width", width, "--batch-size", "4", "--max-epochs", "1",
             "--threads", "1", "--out", Path.Combine(output.Path, run), .. more];
        await CliRun.SucceedAsync(Train("start"));
        var start = Path.Combine(output.Path, "start");

        // Dropout is a choice of training: a fine-tune may change it.
        await CliRun.SucceedAsync(Train("tuned", "--init-from", start, "--lr", "0.01", "--head-dropout", "0.1"));
        var tuned = new RunFolder(Path.Combine(output.Path, "tuned")).ReadConfig();
        Assert.Equal((start, 0.1), (tuned.Training.InitFrom, tuned.Model.HeadDropout));

        var missing = Path.Combine(output.Path, "no-such-run");
        Assert.Contains($"--init-from cannot be used: {missing}: no such file or folder", await CliRun.FailAsync(Train("a", "--init-from", missing)));
        Assert.Contains("--init-from", await CliRun.FailAsync(TrainAt("16", "b", "--init-from", start)));
        Assert.Contains("--init-from", await CliRun.FailAsync(Train("c", "--init-from", "")));
    }

    private static double LargestDifference(string expectedCheckpoint, string actualCheckpoint)
    {
        using var expected = CheckpointLocator.LoadModel(expectedCheckpoint);
        using var actual = CheckpointLocator.LoadModel(actualCheckpoint);
        var parameters = actual.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var largest = 0.0;
        foreach (var (name, value) in expected.named_parameters())
        {
            using var difference = (value - parameters[name]).abs().max();
            largest = Math.Max(largest, difference.item<float>());
        }
        return largest;
    }
}
