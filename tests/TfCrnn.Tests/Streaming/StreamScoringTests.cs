using TfCrnn.Runtime;
using TfCrnn.Streaming;

namespace TfCrnn.Tests.Streaming;

public sealed class StreamScoringTests
{
    private static Detection At(string word, double end) => new(word, Math.Max(0, end - 1), end, 0.9f);

    [Fact]
    public void HitsMissesDoublesAndWrongWordsAreCountedByTheRule()
    {
        StreamLabel[] labels =
        [
            new(1.0, 1.5, "yes"),   // hit, decided 0.3 s after the end
            new(4.0, 4.4, "no"),    // only a wrong word falls on it: missed
            new(8.0, 8.6, "up"),    // hit, then a double detection
            new(12.0, 12.5, "go"),  // missed: nothing comes
        ];
        Detection[] detections =
        [
            At("yes", 1.8),
            At("left", 4.5),
            At("up", 8.2),
            At("up", 9.0),
            At("stop", 20.0),
        ];

        var score = StreamScoring.Score(labels, detections, audioSeconds: 1800);

        Assert.Equal(
            [DetectionOutcome.Hit, DetectionOutcome.WrongWord, DetectionOutcome.Hit, DetectionOutcome.Double, DetectionOutcome.Spurious],
            score.Detections.Select(d => d.Outcome));
        Assert.Equal(2, score.Hits);
        Assert.Equal(3, score.FalseAlarms);
        Assert.Equal(["no", "go"], score.Missed.Select(l => l.Word));
        Assert.Equal(2 / 5.0, score.Precision, 12);
        Assert.Equal(2 / 4.0, score.Recall, 12);
        Assert.Equal(2 * 0.4 * 0.5 / 0.9, score.F1, 12);
        Assert.Equal(6.0, score.FalseAlarmsPerHour, 12);
        // Latencies after the word's end: 1.8 − 1.5 and 8.2 − 8.6.
        Assert.Equal([-400, 300], score.LatenciesMs.Select(l => Math.Round(l, 6)));
        Assert.Equal(-50, score.LatencyPercentileMs(50), 6);
        Assert.Equal(230, score.LatencyPercentileMs(90), 6);
    }

    [Fact]
    public void TheWindowRunsFromTheWordsStartToOneSecondAfterItsEnd()
    {
        StreamLabel[] labels = [new(2.0, 2.5, "on")];
        Assert.Equal(0, StreamScoring.Score(labels, [At("on", 1.99)], 10).Hits);
        Assert.Equal(1, StreamScoring.Score(labels, [At("on", 2.0)], 10).Hits);
        Assert.Equal(1, StreamScoring.Score(labels, [At("on", 3.5)], 10).Hits);
        var late = StreamScoring.Score(labels, [At("on", 3.51)], 10);
        Assert.Equal(0, late.Hits);
        Assert.Equal(DetectionOutcome.Spurious, Assert.Single(late.Detections).Outcome);
    }

    [Fact]
    public void EachLabelIsMatchedOnceAndTheMatchingIsMaximal()
    {
        // Two "off" close together: a greedy first-label choice would give the first detection the later label's
        // slot only by luck; the rule gives each detection the open label whose window closes first.
        StreamLabel[] labels = [new(1.0, 1.4, "off"), new(1.6, 2.0, "off")];
        var score = StreamScoring.Score(labels, [At("off", 1.7), At("off", 2.3)], 10);
        Assert.Equal(2, score.Hits);
        Assert.Equal([labels[0], labels[1]], score.Detections.Select(d => d.Label));
        Assert.Empty(score.Missed);

        var empty = StreamScoring.Score([], [], 3600);
        Assert.Equal((1.0, 1.0, 0.0), (empty.Precision, empty.Recall, empty.FalseAlarmsPerHour));
        Assert.True(double.IsNaN(empty.LatencyPercentileMs(50)));
    }

    [Fact]
    public void LabelFilesAreReadWithErrorsNamingTheLine()
    {
        using var folder = new Support.TempDirectory("labels");
        var path = folder.Combine("labels.csv");
        File.WriteAllText(path, "start_seconds,end_seconds,word\n1.25,1.75,yes\n\n3,3.5,no\n");
        Assert.Equal([new StreamLabel(1.25, 1.75, "yes"), new StreamLabel(3, 3.5, "no")], StreamLabels.Read(path));

        File.WriteAllText(path, "start_seconds,end_seconds,word\n1.25,1.0,yes\n");
        Assert.Equal($"{path}: line 2: expected start_seconds,end_seconds,word with 0 ≤ start ≤ end, got '1.25,1.0,yes'",
            Assert.Throws<TfCrnnException>(() => StreamLabels.Read(path)).Message);
        File.WriteAllText(path, "start,end,word\n");
        Assert.Contains("expected the header 'start_seconds,end_seconds,word'", Assert.Throws<TfCrnnException>(() => StreamLabels.Read(path)).Message);
        Assert.Contains("file not found", Assert.Throws<TfCrnnException>(() => StreamLabels.Read(folder.Combine("none.csv"))).Message);
    }
}
