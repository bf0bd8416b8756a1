using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>One threshold of the sweep: the same posteriors, detections decided again at another threshold.</summary>
public sealed record SweepPoint(float Threshold, double Precision, double Recall, double F1, double FalseAlarmsPerHour);

/// <summary>What <c>stream-eval</c> measured.</summary>
/// <param name="Score">Detections against the labels of words the model knows.</param>
/// <param name="IgnoredLabels">Labels of words that are not keywords of the model, or not listened for, left out of the score.</param>
/// <param name="LanesPerStep">Model lane-steps per decision step under the state policy.</param>
/// <param name="ProcessingSeconds">Time spent recognizing (framing, model, smoothing, detection), model loading excluded.</param>
/// <param name="ProcessingCpuSeconds">Processor time the process spent meanwhile: the cost on a machine that other work does not share.</param>
/// <param name="Trace">The smoothed posteriors kept for the figure, in bounded memory.</param>
/// <param name="Sweep">The threshold sweep (detection-error trade-off).</param>
/// <param name="Notes">What was done to fit the recording to the model (mixed down, resampled, a partial last frame left out).</param>
public sealed record StreamEvaluationReport(StreamScore Score, int IgnoredLabels, StepModelInfo Model, RecognizerOptions Recognizer,
    int LanesPerStep, double ProcessingSeconds, double ProcessingCpuSeconds, PosteriorTrace Trace, IReadOnlyList<SweepPoint> Sweep,
    IReadOnlyList<string> Notes)
{
    /// <summary>Processing time / audio time.</summary>
    public double RealTimeFactor => Score.AudioSeconds <= 0 ? 0 : ProcessingSeconds / Score.AudioSeconds;

    /// <summary>Processor time / audio time.</summary>
    public double CpuRealTimeFactor => Score.AudioSeconds <= 0 ? 0 : ProcessingCpuSeconds / Score.AudioSeconds;
}
