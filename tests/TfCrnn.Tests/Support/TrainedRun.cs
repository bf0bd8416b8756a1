using TfCrnn.Training;

namespace TfCrnn.Tests.Support;

/// <summary>A tone dataset and a tiny run trained on it for two epochs, shared by a test class.</summary>
public sealed class TrainedRun : IDisposable
{
    private readonly TempDirectory runDirectory = new("run");

    public TrainedRun()
    {
        Dataset = new ToneDataset(trainPerWord: 8, validPerWord: 2, testPerWord: 2);
        Options = ToneDataset.TinyTraining(Dataset.Path, runDirectory.Path, "tfcrnn-se") with { MaxEpochs = 2, Seed = 5 };
        Result = Trainer.RunAsync(Options).GetAwaiter().GetResult();
    }

    internal ToneDataset Dataset { get; }

    public TrainingOptions Options { get; }

    public RunResult Result { get; }

    public string Path => runDirectory.Path;

    public void Dispose()
    {
        runDirectory.Dispose();
        Dataset.Dispose();
    }
}
