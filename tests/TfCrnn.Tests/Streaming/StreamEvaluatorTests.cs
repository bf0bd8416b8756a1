using System.Buffers.Binary;
using TfCrnn.Audio;
using TfCrnn.Runtime;
using TfCrnn.Streaming;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Streaming;

/// <summary>
/// <c>stream-eval</c> keeps only what its scores and figures need while the recording is read: the sweep is decided as
/// the steps come, and the posteriors are kept at a bounded resolution (<see cref="PosteriorTrace"/>).
/// </summary>
public sealed class StreamEvaluatorTests
{
    private static readonly LabelSet Labels = LabelSet.FromLabels(["yes", "no", LabelSet.None]);

    /// <summary>A step model that says "yes" for a window of positive samples and "no" for one of negative samples, the surer the louder.</summary>
    private sealed class LevelModel : IStepModel
    {
        public StepModelInfo Info { get; } = new(Labels, 16000, 3200, 1600, 16000, 0, 1, "level");

        public StepOutput Step(float[] windows, float[] state, int batch)
        {
            var windowLanes = Info.CheckStep(windows, state, batch);
            var logits = new float[3 * batch];
            for (var lane = 0; lane < batch; lane++)
            {
                var level = windows.AsSpan(windowLanes == 1 ? 0 : lane * Info.Window, Info.Window).ToArray().Average();
                (logits[3 * lane], logits[3 * lane + 1]) = (60 * level, -60 * level);
            }
            return new StepOutput(logits, state);
        }

        public void Dispose() { }
    }

    [Fact]
    public async Task TheSweepAndTheTraceAreThoseOfEveryStepKept()
    {
        using var stepModel = new LevelModel();
        // Words of several strengths where the labels are, one of them a word the model does not know.
        var audio = new float[5 * 16000];
        foreach (var (from, to, level) in new[] { (0.5, 1.0, 0.1f), (2.0, 2.4, -0.04f), (3.1, 3.5, 0.02f), (4.0, 4.2, 0.08f) })
            audio.AsSpan((int)(from * 16000), (int)((to - from) * 16000)).Fill(level);
        var wav = new WavBuilder().Format(1, 1, 16000, 16).Data([audio], 16).Build();
        List<StreamLabel> labels = [new(0.5, 1.0, "yes"), new(2.0, 2.4, "no"), new(3.1, 3.5, "yes"), new(4.0, 4.2, "hello")];
        var options = new RecognizerOptions { Threshold = 0.5f, RefractorySeconds = 0.4, SmoothingSteps = 2 };
        var steps = new List<RecognitionStep>();

        var report = await StreamEvaluator.EvaluateAsync(stepModel, new AudioStreamReader(new MemoryStream(wav), 16000, "stream.wav"),
            labels, options, stepped: steps.Add);

        Assert.Equal(50, steps.Count);
        Assert.Equal(steps.Where(s => s.Detection is not null).Select(s => s.Detection), report.Score.Detections.Select(d => d.Detection));
        var known = labels.Where(l => l.Word != "hello").ToList();
        foreach (var (threshold, point) in StreamEvaluator.SweepThresholds.Zip(report.Sweep))
        {
            var rule = new DetectionRule(stepModel.Info, options with { Threshold = threshold });
            var score = StreamScoring.Score(known, [.. steps.Select(s => rule.Observe(s.Posteriors, s.End)).OfType<Detection>()], 5);
            Assert.Equal(new SweepPoint(threshold, score.Precision, score.Recall, score.F1, score.FalseAlarmsPerHour), point);
        }
        // The sweep goes from every word and false alarms to fewer words.
        Assert.True(report.Sweep.Select(p => p.Recall).Distinct().Count() > 1 && report.Sweep.Any(p => p.FalseAlarmsPerHour > 0), string.Join("\n", report.Sweep));

        // A short recording keeps every step: the figure is that of every posterior.
        var keywords = stepModel.Info.Labels.KeywordIndices;
        Assert.Equal(1, report.Trace.StepsPerPoint);
        Assert.Equal(steps.Select(s => new TracePoint(s.End, keywords.Max(k => s.Posteriors[k]))), report.Trace.Best);
        var curves = report.Trace.Labelled.ToList();
        Assert.Equal(labels.Take(3), curves.Select(c => c.Label));
        foreach (var curve in curves)
        {
            var k = stepModel.Info.Labels.IndexOf(curve.Label.Word)!.Value;
            Assert.Equal(steps.Where(s => s.End >= curve.Label.Start - 0.5 && s.End <= curve.Label.End + 1.5).Select(s => new TracePoint(s.End, s.Posteriors[k])),
                curve.Points);
        }
    }

    private static RecognitionStep Step(long index, float yes, float no) =>
        new(index, (index + 1) * 0.1, [yes, no, 1 - yes - no], null, Labels);

    [Fact]
    public void ALongRecordingsTraceStaysBoundedAndKeepsEachPeakAtItsTime()
    {
        var random = new Random(5);
        // Two hours and a bit of 100 ms steps: twice past the bound, so four steps a point.
        var steps = Enumerable.Range(0, 2 * PosteriorTrace.MaxPoints + 5)
            .Select(i => Step(i, (float)(random.NextDouble() * 0.5), (float)(random.NextDouble() * 0.5))).ToList();
        var label = new StreamLabel(100, 100.4, "no");
        var trace = new PosteriorTrace(Labels, [label, new StreamLabel(10, 11, "maybe")]);
        foreach (var step in steps) trace.Add(step);

        Assert.Equal(4, trace.StepsPerPoint);
        Assert.Equal(steps.Chunk(4).Select(block =>
        {
            var peak = block.MaxBy(s => Math.Max(s.Posteriors[0], s.Posteriors[1]))!;
            return new TracePoint(peak.End, Math.Max(peak.Posteriors[0], peak.Posteriors[1]));
        }), trace.Best);
        var curve = Assert.Single(trace.Labelled);
        Assert.Same(label, curve.Label);
        Assert.Equal(steps.Where(s => s.End >= 99.5 && s.End <= 101.9).Select(s => new TracePoint(s.End, s.Posteriors[1])), curve.Points);

        // The figure of two hours: 20 panels of 6 minutes, as tall as that of 10 minutes.
        using var folder = new TempDirectory("trace");
        var png = folder.Combine("posteriors.png");
        var info = new StepModelInfo(Labels, 16000, 3200, 1600, 16000, 1, 1, "x");
        var report = new StreamEvaluationReport(new StreamScore(1, steps.Count * 0.1, [], [label]), 0, info, new RecognizerOptions(), 1, 1, 1,
            trace, [], []);
        StreamFigures.SavePosteriors(report, [label], png);
        var header = File.ReadAllBytes(png).AsSpan(16, 8);
        Assert.Equal((StreamFigures.PanelWidth, 20 * 260 + 40), (BinaryPrimitives.ReadInt32BigEndian(header), BinaryPrimitives.ReadInt32BigEndian(header[4..])));
    }
}
