using TfCrnn.Checkpoints;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Interop;
using TfCrnn.Models;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Checkpoints;

public sealed class CheckpointLocatorTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    private double TestLoss(SpeechCommandModel model)
    {
        using var data = SpeechCommandsDataset.Open(run.Dataset.Path);
        return Evaluator.Evaluate(model, data, data.Clips(Split.Test)).Loss;
    }

    [Fact]
    public void ARunFolderMeansItsBestCheckpoint()
    {
        // A copy whose last/ holds other weights (as after epochs without improvement): loading last/ would show.
        using var dir = new TempDirectory();
        foreach (var file in Directory.EnumerateFiles(run.Path, "*", SearchOption.AllDirectories))
        {
            var copy = dir.Combine(Path.GetRelativePath(run.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        using (var other = ModelFactory.Create(run.Options.ModelConfig()))
            PyTorchWeights.Save(other, Path.Combine(dir.Path, RunFolder.Last, ModelFolder.WeightsFile));
        Assert.Equal(run.Result.BestEpoch, new RunFolder(dir.Path).ReadState(RunFolder.Best).Epoch);

        using var model = CheckpointLocator.LoadModel(dir.Path);
        Assert.Equal("tfcrnn-se", model.Config.Variant);
        Assert.Equal(8, model.Config.Width);
        Assert.False(model.training);
        Assert.Equal(run.Result.TestLoss, TestLoss(model), 5);
    }

    [Fact]
    public void AModelFolderAndAWeightsFileWithItsConfigLoadTheSameModel()
    {
        using var dir = new TempDirectory();
        var best = Path.Combine(run.Path, RunFolder.Best);
        File.Copy(Path.Combine(best, "config.json"), dir.Combine("config.json"));
        File.Copy(Path.Combine(best, "model.pt"), dir.Combine("weights.pt"));

        using var fromFolder = CheckpointLocator.LoadModel(best);
        using var fromFile = CheckpointLocator.LoadModel(dir.Combine("weights.pt"));
        Assert.Equal(run.Result.TestLoss, TestLoss(fromFolder), 5);
        Assert.Equal(run.Result.TestLoss, TestLoss(fromFile), 5);
    }

    [Fact]
    public void ACorruptWeightsFileIsAClearError()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(run.Path, RunFolder.Best, "config.json"), dir.Combine("config.json"));
        var bytes = File.ReadAllBytes(Path.Combine(run.Path, RunFolder.Best, "model.pt"));
        File.WriteAllBytes(dir.Combine("model.pt"), bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<CheckpointException>(() => CheckpointLocator.LoadModel(dir.Path));
        Assert.Contains(dir.Combine("model.pt"), error.Message);
    }

    [Fact]
    public void WeightsOfAnotherWidthAreAClearError()
    {
        using var dir = new TempDirectory();
        var config = ModelConfig.For("tfcrnn-se") with { Width = 16, HiddenSize = 16 };
        File.WriteAllText(dir.Combine("config.json"), config.ToJson());
        File.Copy(Path.Combine(run.Path, RunFolder.Best, "model.pt"), dir.Combine("model.pt"));

        var error = Assert.Throws<CheckpointException>(() => CheckpointLocator.LoadModel(dir.Path));
        Assert.Contains(dir.Combine("model.pt"), error.Message);
    }

    [Fact]
    public void ABrokenConfigIsAClearError()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("config.json"), "{\"variant\": \"tfcrnn-nope\"");
        File.Copy(Path.Combine(run.Path, RunFolder.Best, "model.pt"), dir.Combine("model.pt"));
        var error = Assert.Throws<CheckpointException>(() => CheckpointLocator.LoadModel(dir.Combine("model.pt")));
        Assert.Contains(dir.Combine("config.json"), error.Message);
    }

    [Fact]
    public void SomethingElseIsAClearError()
    {
        using var dir = new TempDirectory();
        Assert.Contains("not a run folder", Assert.Throws<CheckpointException>(() => CheckpointLocator.LoadModel(dir.Path)).Message);
        Assert.Contains("no such file", Assert.Throws<CheckpointException>(() => CheckpointLocator.LoadModel(dir.Combine("x.pt"))).Message);
        File.WriteAllText(dir.Combine("lonely.pt"), "");
        Assert.Contains("no config.json", Assert.Throws<CheckpointException>(() => CheckpointLocator.LoadModel(dir.Combine("lonely.pt"))).Message);
    }
}
