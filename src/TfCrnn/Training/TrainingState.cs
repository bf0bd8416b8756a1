namespace TfCrnn.Training;

/// <summary>One row of <c>metrics.csv</c>: an epoch's training and validation scores.</summary>
/// <param name="Epoch">1-based.</param>
/// <param name="Stage">1-based learning-rate stage the epoch trained in.</param>
/// <param name="TrainLoss">Mean training loss (the run's many-to-many or many-to-one loss) over the epoch's batches.</param>
/// <param name="TrainAccuracy">Last-step accuracy on the (augmented) training batches, in training mode.</param>
/// <param name="Seconds">Wall time of the epoch (training, validation and the <c>--select-on</c> folder).</param>
/// <param name="SelectAccuracy">With <c>--select-on</c>: the folder's accuracy (12-label or 35-word style), which chooses <c>best/</c>.</param>
/// <param name="SelectKeywordAccuracy">With <c>--select-on</c>: the folder's accuracy on the keywords alone (the ten words in 12-label style).</param>
public sealed record EpochMetrics(int Epoch, int Stage, double LearningRate, double TrainLoss, double TrainAccuracy,
    double ValidLoss, double ValidAccuracy, double Seconds, double? SelectAccuracy = null, double? SelectKeywordAccuracy = null);

/// <summary>Sums of the batches of an epoch trained so far (a checkpoint taken mid-epoch keeps them).</summary>
internal sealed record EpochProgress(int Batches, double LossSum, long Correct, long Clips, double Seconds)
{
    public static readonly EpochProgress Empty = new(0, 0, 0, 0, 0);
}

/// <summary>
/// Everything besides weights and optimizer state that a checkpoint must hold for a resumed run to
/// end exactly where an uninterrupted one does (<c>state.json</c>).
/// </summary>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="InProgress">The next epoch's batches already trained (the run was stopped mid-epoch).</param>
/// <param name="RngState">The run's torch CPU generator (<c>Generator.get_state()</c>), base64; drives dropout.</param>
/// <param name="Finished">The schedule stopped: only the test evaluation remains.</param>
/// <param name="ElapsedSeconds">Wall time spent on the run so far, over all sessions.</param>
internal sealed record TrainingState(
    int Epoch,
    ScheduleState Schedule,
    IReadOnlyList<EpochMetrics> History,
    EpochProgress InProgress,
    string RngState,
    bool Finished,
    double ElapsedSeconds);
