using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>A point of a posterior curve: a step's time (seconds) and a probability.</summary>
public readonly record struct TracePoint(double Time, double Probability);

/// <summary>A labelled word's own probability around its label.</summary>
/// <param name="Points">Every step from <see cref="PosteriorTrace.LabelLeadSeconds"/> before the label's start to
/// <see cref="PosteriorTrace.LabelTailSeconds"/> after its end.</param>
public sealed record LabelCurve(StreamLabel Label, IReadOnlyList<TracePoint> Points);

/// <summary>
/// What <c>stream-eval</c> keeps of the smoothed posteriors for its figure, in memory that does not grow with the
/// recording: the best keyword's probability at every step until <see cref="MaxPoints"/> points are held, then pooled:
/// each time the points reach <see cref="MaxPoints"/>, neighbours are merged in pairs into their maximum (at the time
/// of that maximum), so that a point is the maximum of <see cref="StepsPerPoint"/> steps (a power of two) and a peak
/// is never lost. Beside it, each labelled word's own probability around its label, a few steps per label.
/// </summary>
public sealed class PosteriorTrace
{
    /// <summary>Points of the best keyword's curve at most: two per pixel column of the longest figure.</summary>
    public const int MaxPoints = StreamFigures.MaxPanels * StreamFigures.PanelWidth * 2;

    /// <summary>Seconds before a label's start from which its word's curve is kept.</summary>
    public const double LabelLeadSeconds = 0.5;

    /// <summary>Seconds after a label's end up to which its word's curve is kept.</summary>
    public const double LabelTailSeconds = 1.5;

    private readonly IReadOnlyList<int> keywords;
    private readonly List<TracePoint> best = [];
    private readonly (StreamLabel Label, int Class, List<TracePoint> Points)[] labelled;
    private TracePoint bucket;
    private int bucketSteps;

    /// <param name="labels">The model's labels.</param>
    /// <param name="streamLabels">The recording's labels; those of words the model knows get a curve.</param>
    public PosteriorTrace(LabelSet labels, IReadOnlyList<StreamLabel> streamLabels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(streamLabels);
        keywords = labels.KeywordIndices;
        labelled = [.. streamLabels.Where(l => labels.IndexOf(l.Word) is not null).Select(l => (l, labels.IndexOf(l.Word)!.Value, new List<TracePoint>()))];
    }

    /// <summary>Steps per point of <see cref="Best"/>: 1 until the curve first reached <see cref="MaxPoints"/> points.</summary>
    public int StepsPerPoint { get; private set; } = 1;

    /// <summary>The best keyword's probability over time (the maximum over each <see cref="StepsPerPoint"/> steps).</summary>
    public IReadOnlyList<TracePoint> Best => bucketSteps == 0 ? best : [.. best, bucket];

    /// <summary>The curves of the labels whose word the model knows, in the labels' order.</summary>
    public IEnumerable<LabelCurve> Labelled => labelled.Select(l => new LabelCurve(l.Label, l.Points));

    /// <summary>Takes a decision step.</summary>
    public void Add(RecognitionStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var value = (double)keywords.Max(k => step.Posteriors[k]);
        if (bucketSteps == 0 || value > bucket.Probability) bucket = new TracePoint(step.End, value);
        if (++bucketSteps == StepsPerPoint)
        {
            best.Add(bucket);
            bucketSteps = 0;
            if (best.Count == MaxPoints) Pool();
        }
        foreach (var (label, k, points) in labelled)
            if (step.End >= label.Start - LabelLeadSeconds && step.End <= label.End + LabelTailSeconds)
                points.Add(new TracePoint(step.End, step.Posteriors[k]));
    }

    /// <summary>Merges neighbouring points in pairs into their maximum.</summary>
    private void Pool()
    {
        for (var i = 0; i < best.Count / 2; i++)
            best[i] = best[2 * i + 1].Probability > best[2 * i].Probability ? best[2 * i + 1] : best[2 * i];
        best.RemoveRange(best.Count / 2, best.Count - best.Count / 2);
        StepsPerPoint *= 2;
    }
}
