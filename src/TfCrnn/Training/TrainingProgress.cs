namespace TfCrnn.Training;

/// <summary>What a training run is doing.</summary>
public enum TrainingPhase
{
    /// <summary>Training batches.</summary>
    Training,

    /// <summary>Scoring the validation split.</summary>
    Validating,

    /// <summary>Scoring the test split with the best checkpoint.</summary>
    Testing,

    /// <summary>Scoring the <c>--select-on</c> folder after an epoch.</summary>
    Selecting,
}

/// <summary>
/// A progress report of <see cref="Trainer"/>: after every training batch, during validation and
/// test, and once per finished epoch (<see cref="Completed"/> set).
/// </summary>
/// <param name="Epoch">1-based epoch in progress.</param>
/// <param name="Batch">Batches (training) or clips (validation, test) done in this phase.</param>
/// <param name="Batches">Batches (training) or clips (validation, test) in this phase.</param>
/// <param name="Loss">Mean training loss of the epoch so far.</param>
/// <param name="Accuracy">Last-step training accuracy of the epoch so far.</param>
/// <param name="Eta">Estimated time left in this epoch (training and validation), once known.</param>
/// <param name="Completed">Set on the report that ends an epoch.</param>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int MaxEpochs,
    int Stage,
    int Batch,
    int Batches,
    double Loss,
    double Accuracy,
    double LearningRate,
    TimeSpan? Eta,
    EpochMetrics? Completed = null)
{
    /// <summary>Which run reports, where several train side by side (the quickstart's models); empty otherwise.</summary>
    public string Run { get; init; } = "";
}
