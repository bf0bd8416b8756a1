using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>What became of one detection.</summary>
public enum DetectionOutcome
{
    /// <summary>It names a labelled word and falls in that word's window, which no earlier detection took.</summary>
    Hit,

    /// <summary>It names a word whose window it falls in, but that label was already matched.</summary>
    Double,

    /// <summary>It falls in the window of another word only.</summary>
    WrongWord,

    /// <summary>No labelled word anywhere near.</summary>
    Spurious,
}

/// <summary>A detection and its outcome; <see cref="Label"/> is the label it matched (hits) or the one it fell on.</summary>
public sealed record ScoredDetection(Detection Detection, DetectionOutcome Outcome, StreamLabel? Label)
{
    /// <summary>Seconds from the word's end to the decision (hits only; negative when decided before the word ended).</summary>
    public double? LatencySeconds => Outcome == DetectionOutcome.Hit ? Detection.End - Label!.End : null;
}

/// <summary>How detections compare with a stream's labels.</summary>
/// <param name="AudioSeconds">Length of the stream.</param>
/// <param name="Detections">Every detection with its outcome, in time order.</param>
/// <param name="Missed">Labels no detection matched.</param>
public sealed record StreamScore(int Labels, double AudioSeconds, IReadOnlyList<ScoredDetection> Detections, IReadOnlyList<StreamLabel> Missed)
{
    /// <summary>Detections that name a labelled word in time.</summary>
    public int Hits => Detections.Count(d => d.Outcome == DetectionOutcome.Hit);

    /// <summary>Detections that are not hits.</summary>
    public int FalseAlarms => Detections.Count - Hits;

    /// <summary>Hits / detections (1 without detections, as nothing claimed was wrong).</summary>
    public double Precision => Detections.Count == 0 ? 1 : Hits / (double)Detections.Count;

    /// <summary>Hits / labels (1 without labels).</summary>
    public double Recall => Labels == 0 ? 1 : Hits / (double)Labels;

    /// <summary>The harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>False alarms per hour of audio.</summary>
    public double FalseAlarmsPerHour => AudioSeconds <= 0 ? 0 : FalseAlarms / (AudioSeconds / 3600);

    /// <summary>Fraction of the labels missed.</summary>
    public double MissRate => 1 - Recall;

    /// <summary>Latencies of the hits, ascending, in milliseconds.</summary>
    public IReadOnlyList<double> LatenciesMs => [.. Detections.Where(d => d.LatencySeconds is not null).Select(d => d.LatencySeconds!.Value * 1000).Order()];

    /// <summary>The <paramref name="percentile"/>th percentile (0–100) of the hit latencies in ms, linear between ranks; NaN without hits.</summary>
    public double LatencyPercentileMs(double percentile)
    {
        var sorted = LatenciesMs;
        if (sorted.Count == 0) return double.NaN;
        var rank = percentile / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }
}

/// <summary>
/// Scores detections against labels: a detection is a hit when it names the labelled word and is decided between the
/// word's start and <see cref="HitWindowSeconds"/> after its end; each label is matched at most once, each detection
/// matches at most one label, and the matching gives as many hits as possible.
/// </summary>
internal static class StreamScoring
{
    /// <summary>How long after a word's end a detection still counts for it.</summary>
    public const double HitWindowSeconds = 1.0;

    public static StreamScore Score(IReadOnlyList<StreamLabel> labels, IReadOnlyList<Detection> detections, double audioSeconds)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(detections);
        var matched = new bool[labels.Count];
        var scored = new List<ScoredDetection>(detections.Count);
        // Points against intervals, per word: taking detections in time order and giving each the open label whose
        // window closes first is a maximum matching.
        foreach (var detection in detections.OrderBy(d => d.End))
        {
            bool Covers(int i) => detection.End >= labels[i].Start && detection.End <= labels[i].End + HitWindowSeconds;
            var candidates = Enumerable.Range(0, labels.Count).Where(Covers).ToList();
            var open = candidates.Where(i => !matched[i] && labels[i].Word == detection.Word).OrderBy(i => labels[i].End).ToList();
            if (open.Count > 0)
            {
                matched[open[0]] = true;
                scored.Add(new ScoredDetection(detection, DetectionOutcome.Hit, labels[open[0]]));
            }
            else if (candidates.FirstOrDefault(i => labels[i].Word == detection.Word, -1) is var same and >= 0)
                scored.Add(new ScoredDetection(detection, DetectionOutcome.Double, labels[same]));
            else if (candidates.Count > 0)
                scored.Add(new ScoredDetection(detection, DetectionOutcome.WrongWord, labels[candidates[0]]));
            else
                scored.Add(new ScoredDetection(detection, DetectionOutcome.Spurious, null));
        }
        return new StreamScore(labels.Count, audioSeconds, scored, [.. labels.Where((_, i) => !matched[i])]);
    }
}
