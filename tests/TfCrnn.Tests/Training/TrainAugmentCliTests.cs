using TfCrnn.Data.Augmentation;
using TfCrnn.Tests.Cli;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

public class TrainAugmentCliTests
{
    [Fact]
    public async Task TrainKeepsTheRecipeInConfigJsonForResume()
    {
        using var tones = new ToneDataset(trainPerWord: 2, validPerWord: 1, testPerWord: 1);
        using var output = new TempDirectory("augment-run");
        var run = Path.Combine(output.Path, "run");
        const string spec = "robust,-reverb,noise=5:20@0.5";
        await CliRun.SucceedAsync("train", "--data", tones.Path, "--model", "cnn-basic", "--width", "8", "--batch-size", "4",
            "--max-epochs", "1", "--threads", "1", "--out", run, "--augment", spec, "--optimizer", "adam", "--lr", "0.003",
            "--lr-schedule", "cosine", "--head-dropout", "0.2", "--residual-dropout", "0");
        var config = new RunFolder(run).ReadConfig();
        var saved = config.Training;
        Assert.Equal((0.2, 0.0), (config.Model.HeadDropout, config.Model.ResidualDropout));
        Assert.Equal(AugmentationRecipe.Parse(spec), saved.Augmentation);
        Assert.Equal((OptimizerKind.Adam, 0.003, ScheduleKind.Cosine), (saved.Optimizer, saved.LearningRate, saved.Schedule));
        // A resumed run takes the saved recipe, whatever this session's default.
        var resumed = Trainer.Resolve(new TrainingOptions { DataPath = "", Variant = "", OutputDirectory = run, Resume = true }, new RunFolder(run));
        Assert.Equal(saved.Augmentation, resumed.Augmentation);
        Assert.Equal((OptimizerKind.Adam, ScheduleKind.Cosine), (resumed.Optimizer, resumed.Schedule));
        Assert.Equal(config.Model, resumed.ModelConfig());
    }
}
