using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

public class PlateauScheduleTests
{
    private static List<ScheduleDecision> Play(PlateauSchedule schedule, params double[] losses) =>
        losses.Select(schedule.Step).ToList();

    [Fact]
    public void ThreeStagesFallAfterThreeEpochsWithoutImprovementAndStopAtTheThirdFall()
    {
        var schedule = new PlateauSchedule(0.025, patience: 2, stages: 3, maxEpochs: 200);
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
        var schedule = new PlateauSchedule(0.025, patience: 2, stages: 3, maxEpochs: 200);
        // 1 × (1 − 1e-5) = 0.99999: 0.999995 is not better, 0.99998 is.
        var decisions = Play(schedule, 1.0, 0.999995, 0.999995, 0.99998);
        Assert.Equal([true, false, false, true], decisions.Select(d => d.Improved));
        Assert.Equal(4, schedule.BestEpoch);
    }

    [Fact]
    public void NaNNeverImproves()
    {
        var schedule = new PlateauSchedule(0.025, patience: 0, stages: 3, maxEpochs: 200);
        var decisions = Play(schedule, 1.0, double.NaN);
        Assert.False(decisions[1].Improved);
        Assert.Equal(ScheduleAction.ReloadBestAndDecay, decisions[1].Action);
    }

    [Fact]
    public void TheEpochCapStops()
    {
        var schedule = new PlateauSchedule(0.025, patience: 2, stages: 3, maxEpochs: 3);
        var decisions = Play(schedule, 3, 2, 1);
        Assert.Equal([ScheduleAction.Continue, ScheduleAction.Continue, ScheduleAction.Stop], decisions.Select(d => d.Action));
    }

    [Fact]
    public void AScheduleRebuiltFromItsStateContinuesIdentically()
    {
        double[] losses = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.7];
        var whole = new PlateauSchedule(0.025, 2, 3, 200);
        var expected = Play(whole, losses);

        var first = new PlateauSchedule(0.025, 2, 3, 200);
        var head = Play(first, losses[..4]);
        var resumed = new PlateauSchedule(first.State, 2, 3, 200);
        var tail = Play(resumed, losses[4..]);
        Assert.Equal(expected, [.. head, .. tail]);
        Assert.Equal(whole.State, resumed.State);
    }
}
