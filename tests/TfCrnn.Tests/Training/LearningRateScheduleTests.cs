using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

public class LearningRateScheduleTests
{
    private static List<ScheduleDecision> Play(LearningRateSchedule schedule, params double[] losses) =>
        losses.Select(schedule.Step).ToList();

    [Fact]
    public void ThreeStagesFallAfterThreeEpochsWithoutImprovementAndStopAtTheThirdFall()
    {
        var schedule = new LearningRateSchedule(0.025, patience: 2, stages: 3, maxEpochs: 200);
        var decisions = Play(schedule,
            1.0, 0.9, 0.95, 0.95, 0.95, // epochs 1-5: best at 2, falls at 5
            0.8, 0.85, 0.85, 0.85,      // 6-9: best at 6, falls at 9
            0.7, 0.75, 0.75, 0.75);     // 10-13: best at 10, the third fall stops

        Assert.Equal([1, 2, 6, 10], Enumerable.Range(1, 13).Where(e => decisions[e - 1].Improved));
        Assert.Equal([5, 9], Enumerable.Range(1, 13).Where(e => decisions[e - 1].Action == ScheduleAction.ReloadBestAndDecay));
        Assert.Equal(ScheduleAction.Stop, decisions[12].Action);
        Assert.All(decisions.Take(12).Where(d => d.Action != ScheduleAction.ReloadBestAndDecay),
            d => Assert.Equal(ScheduleAction.Continue, d.Action));
        Assert.Equal([0.025, 0.025, 0.025, 0.025, 0.005, 0.005, 0.005, 0.005, 0.001], decisions.Take(9).Select(d => Math.Round(d.LearningRate, 10)));
        Assert.Equal(0.7, schedule.BestLoss);
        Assert.Equal(10, schedule.BestEpoch);
        Assert.Equal(13, schedule.Epochs);
    }

    [Fact]
    public void ImprovementsSmallerThanTheRelativeThresholdDoNotCount()
    {
        var schedule = new LearningRateSchedule(0.025, patience: 2, stages: 3, maxEpochs: 200);
        // 1 × (1 − 1e-5) = 0.99999: 0.999995 is not better, 0.99998 is.
        var decisions = Play(schedule, 1.0, 0.999995, 0.999995, 0.99998);
        Assert.Equal([true, false, false, true], decisions.Select(d => d.Improved));
        Assert.Equal(4, schedule.BestEpoch);
    }

    [Fact]
    public void NaNNeverImproves()
    {
        var schedule = new LearningRateSchedule(0.025, patience: 0, stages: 3, maxEpochs: 200);
        var decisions = Play(schedule, 1.0, double.NaN);
        Assert.False(decisions[1].Improved);
        Assert.Equal(ScheduleAction.ReloadBestAndDecay, decisions[1].Action);
    }

    [Fact]
    public void TheEpochCapStops()
    {
        var schedule = new LearningRateSchedule(0.025, patience: 2, stages: 3, maxEpochs: 3);
        var decisions = Play(schedule, 3, 2, 1);
        Assert.Equal([ScheduleAction.Continue, ScheduleAction.Continue, ScheduleAction.Stop], decisions.Select(d => d.Action));
    }

    [Fact]
    public void AScheduleRebuiltFromItsStateContinuesIdentically()
    {
        double[] losses = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.7];
        var whole = new LearningRateSchedule(0.025, 2, 3, 200);
        var expected = Play(whole, losses);

        var first = new LearningRateSchedule(0.025, 2, 3, 200);
        var head = Play(first, losses[..4]);
        var resumed = new LearningRateSchedule(first.State, 0.025, 2, 3, 200);
        var tail = Play(resumed, losses[4..]);
        Assert.Equal(expected, [.. head, .. tail]);
        Assert.Equal(whole.State, resumed.State);
    }

    [Fact]
    public void CosineFallsFromTheRateToNearlyZeroAtTheCapInOneStageWhateverTheLoss()
    {
        var schedule = new LearningRateSchedule(0.004, patience: 0, stages: 3, maxEpochs: 4, ScheduleKind.Cosine);
        Assert.Equal(0.004, schedule.LearningRate);
        var decisions = Play(schedule, 1.0, 2.0, 3.0, 0.5); // losses that would end every plateau stage at once

        // Epoch e + 1 trains at 0.004 × ½(1 + cos(πe/4)).
        Assert.Equal([0.0034142136, 0.002, 0.0005857864, 0], decisions.Select(d => Math.Round(d.LearningRate, 10)));
        Assert.Equal([ScheduleAction.Continue, ScheduleAction.Continue, ScheduleAction.Continue, ScheduleAction.Stop],
            decisions.Select(d => d.Action));
        Assert.Equal([true, false, false, true], decisions.Select(d => d.Improved));
        Assert.Equal((1, 4), (schedule.Stage, schedule.BestEpoch));
    }

    [Fact]
    public void ACosineScheduleRebuiltFromItsStateContinuesIdentically()
    {
        double[] losses = [1.0, 0.9, 0.95, 0.8, 0.85, 0.7];
        var expected = Play(new LearningRateSchedule(0.01, 2, 3, 6, ScheduleKind.Cosine), losses);
        var first = new LearningRateSchedule(0.01, 2, 3, 6, ScheduleKind.Cosine);
        var head = Play(first, losses[..3]);
        var tail = Play(new LearningRateSchedule(first.State, 0.01, 2, 3, 6, ScheduleKind.Cosine), losses[3..]);
        Assert.Equal(expected, [.. head, .. tail]);
    }

    [Fact]
    public void AnUnknownKindIsAnOptionError()
    {
        var error = Assert.Throws<OptionException>(() => Spellings<ScheduleKind>.Parse("--lr-schedule", "step"));
        Assert.Equal("--lr-schedule must be one of plateau, cosine, got 'step'", error.Message);
        Assert.Equal(["plateau", "cosine"], Spellings<ScheduleKind>.Names);
        Assert.Equal("cosine", Spellings<ScheduleKind>.Name(ScheduleKind.Cosine));
    }
}
