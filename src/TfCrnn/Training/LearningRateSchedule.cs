using System.Text.Json.Serialization;

namespace TfCrnn.Training;

/// <summary>How the learning rate of a run falls (<c>train --lr-schedule</c>; <see cref="LearningRateSchedule"/>), spelt <c>plateau</c> or <c>cosine</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScheduleKind>))]
public enum ScheduleKind
{
    /// <summary>The paper's: the rate falls in stages when validation stops improving.</summary>
    [JsonStringEnumMemberName("plateau")] Plateau,

    /// <summary>From the initial rate to nearly zero at the epoch cap, in one stage.</summary>
    [JsonStringEnumMemberName("cosine")] Cosine,
}

/// <summary>What the run does after an epoch's validation.</summary>
internal enum ScheduleAction
{
    /// <summary>Keep training at the current rate.</summary>
    Continue,

    /// <summary>Reload the best checkpoint (weights and optimizer state) and continue at the new, lower rate.</summary>
    ReloadBestAndDecay,

    /// <summary>The last stage ended or the epoch cap was reached.</summary>
    Stop,
}

/// <summary>The outcome of one <see cref="LearningRateSchedule.Step"/>.</summary>
/// <param name="Improved">This epoch has the best validation loss so far (save it as the best checkpoint).</param>
internal sealed record ScheduleDecision(bool Improved, ScheduleAction Action, double LearningRate);

/// <summary>Serializable state of a <see cref="LearningRateSchedule"/> (kept in each checkpoint's state.json).</summary>
internal sealed record ScheduleState(
    double LearningRate, int Stage, double BestLoss, int BestEpoch, int BadEpochs, int Epochs);

/// <summary>
/// The learning rate over a run, as a pure state machine; both kinds track the best validation loss and stop at
/// <c>maxEpochs</c>.
/// <list type="bullet">
/// <item><c>plateau</c>, the paper's (docs/reference-implementation.md, "Training"): PyTorch's ReduceLROnPlateau in
/// "min"/"rel" mode (an epoch improves when its loss is below best × (1 − threshold); the rate falls by <c>factor</c>
/// once more than <c>patience</c> epochs in a row did not improve), where each fall ends a stage and reloads the best
/// checkpoint; the run stops when the last stage ends.</item>
/// <item><c>cosine</c>: epoch e (1-based) of a cap of E trains at lr × ½(1 + cos(π(e − 1)/E)), from the full rate down to
/// nearly zero at the cap, in one stage, so that a run whose validation loss keeps falling still ends at a low rate. At
/// the quickstart's 16 epochs it did worse than a constant rate (bench/results/augmentation.md, "A cosine schedule at
/// the quickstart's budget").</item>
/// </list>
/// </summary>
internal sealed class LearningRateSchedule
{
    public const double Factor = 0.2;
    public const double Threshold = 1e-5;

    private readonly ScheduleKind kind;
    private readonly double initialLearningRate;
    private readonly int patience;
    private readonly int stages;
    private readonly int maxEpochs;

    /// <summary>A new run's schedule.</summary>
    public LearningRateSchedule(double learningRate, int patience, int stages, int maxEpochs, ScheduleKind kind = ScheduleKind.Plateau)
        : this(new ScheduleState(learningRate, 1, double.PositiveInfinity, 0, 0, 0), learningRate, patience, stages, maxEpochs, kind) { }

    /// <summary>A schedule that continues from <paramref name="state"/>; <paramref name="initialLearningRate"/> is the run's <c>--lr</c>.</summary>
    public LearningRateSchedule(ScheduleState state, double initialLearningRate, int patience, int stages, int maxEpochs,
        ScheduleKind kind = ScheduleKind.Plateau)
    {
        State = state;
        this.kind = kind;
        this.initialLearningRate = initialLearningRate;
        this.patience = patience;
        this.stages = stages;
        this.maxEpochs = maxEpochs;
    }

    public ScheduleState State { get; private set; }

    /// <summary>The rate of the next epoch.</summary>
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
        if (kind == ScheduleKind.Cosine)
            s = s with { LearningRate = initialLearningRate * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(epoch, maxEpochs) / maxEpochs)) };
        else if (s.BadEpochs > patience)
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
