namespace TfCrnn.Training;

/// <summary>What the run does after an epoch's validation.</summary>
public enum ScheduleAction
{
    /// <summary>Keep training at the current rate.</summary>
    Continue,

    /// <summary>Reload the best checkpoint (weights and optimizer state) and continue at the new, lower rate.</summary>
    ReloadBestAndDecay,

    /// <summary>The last stage ended or the epoch cap was reached.</summary>
    Stop,
}

/// <summary>The outcome of one <see cref="PlateauSchedule.Step"/>.</summary>
/// <param name="Improved">This epoch has the best validation loss so far (save it as the best checkpoint).</param>
public sealed record ScheduleDecision(bool Improved, ScheduleAction Action, double LearningRate);

/// <summary>Serializable state of a <see cref="PlateauSchedule"/> (kept in each checkpoint's state.json).</summary>
public sealed record PlateauScheduleState(
    double LearningRate, int Stage, double BestLoss, int BestEpoch, int BadEpochs, int Epochs);

/// <summary>
/// The paper's learning-rate schedule as a pure state machine (docs/reference-implementation.md, "Training"): PyTorch's
/// ReduceLROnPlateau in "min"/"rel" mode (an epoch improves when its loss is below best × (1 −
/// threshold); the rate falls by <c>factor</c> once more than <c>patience</c> epochs in a row did not
/// improve), where each fall ends a stage and reloads the best checkpoint; the run stops when the
/// last stage ends or after <c>maxEpochs</c>.
/// </summary>
public sealed class PlateauSchedule
{
    public const double Factor = 0.2;
    public const double Threshold = 1e-5;

    private readonly int patience;
    private readonly int stages;
    private readonly int maxEpochs;

    public PlateauSchedule(double learningRate, int patience, int stages, int maxEpochs)
        : this(new PlateauScheduleState(learningRate, 1, double.PositiveInfinity, 0, 0, 0), patience, stages, maxEpochs) { }

    public PlateauSchedule(PlateauScheduleState state, int patience, int stages, int maxEpochs)
    {
        State = state;
        this.patience = patience;
        this.stages = stages;
        this.maxEpochs = maxEpochs;
    }

    public PlateauScheduleState State { get; private set; }

    public double LearningRate => State.LearningRate;

    /// <summary>1-based stage of the epochs to come.</summary>
    public int Stage => State.Stage;

    /// <summary>Lowest validation loss so far (+∞ before the first epoch).</summary>
    public double BestLoss => State.BestLoss;

    /// <summary>1-based epoch of <see cref="BestLoss"/>; 0 before the first epoch.</summary>
    public int BestEpoch => State.BestEpoch;

    /// <summary>Epochs seen so far.</summary>
    public int Epochs => State.Epochs;

    /// <summary>Feeds the validation loss of the next epoch. NaN never improves (as in PyTorch).</summary>
    public ScheduleDecision Step(double validationLoss)
    {
        var s = State;
        var epoch = s.Epochs + 1;
        var improved = validationLoss < s.BestLoss * (1 - Threshold);
        s = improved
            ? s with { BestLoss = validationLoss, BestEpoch = epoch, BadEpochs = 0, Epochs = epoch }
            : s with { BadEpochs = s.BadEpochs + 1, Epochs = epoch };

        var action = ScheduleAction.Continue;
        if (s.BadEpochs > patience)
        {
            var lastStage = s.Stage >= stages;
            s = s with { BadEpochs = 0, Stage = s.Stage + 1, LearningRate = lastStage ? s.LearningRate : s.LearningRate * Factor };
            action = lastStage ? ScheduleAction.Stop : ScheduleAction.ReloadBestAndDecay;
        }
        if (epoch >= maxEpochs) action = ScheduleAction.Stop;
        State = s;
        return new ScheduleDecision(improved, action, s.LearningRate);
    }
}
