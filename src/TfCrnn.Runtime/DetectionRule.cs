namespace TfCrnn.Runtime;

/// <summary>
/// Decides detections from smoothed posteriors: at each step the most probable keyword (of
/// <see cref="RecognizerOptions.Keywords"/>, when given) fires when its smoothed
/// probability reaches <see cref="RecognizerOptions.Threshold"/> and no detection was decided within
/// <see cref="RecognizerOptions.RefractorySeconds"/> (the model's, <see cref="StepModelInfo.RefractorySeconds"/>, unless given) before. Rejection classes and keywords not listened for never
/// fire; they only take probability away from the keywords.
/// </summary>
public sealed class DetectionRule
{
    private readonly LabelSet labels;
    private readonly IReadOnlyList<int> keywords;
    private readonly float threshold;
    private readonly double refractorySeconds;
    private readonly double contextSeconds;
    private double lastEnd = double.NegativeInfinity;

    /// <exception cref="OptionException">Bad options (<see cref="RecognizerOptions.Validate"/>), or a keyword the model does not have.</exception>
    public DetectionRule(StepModelInfo model, RecognizerOptions options)
        : this(model ?? throw new ArgumentNullException(nameof(model)),
            (options ?? throw new ArgumentNullException(nameof(options))).Validate().KeywordIndices(model.Labels), options)
    {
    }

    private DetectionRule(StepModelInfo model, IReadOnlyList<int> keywords, RecognizerOptions options)
    {
        labels = model.Labels;
        this.keywords = keywords;
        threshold = options.Threshold;
        refractorySeconds = options.RefractorySeconds ?? model.RefractorySeconds;
        contextSeconds = model.ClipSamples / (double)model.SampleRate;
    }

    /// <summary>The rule for options already validated where they entered (<see cref="StreamingRecognizer"/>).</summary>
    internal static DetectionRule ForValidated(StepModelInfo model, RecognizerOptions options) =>
        new(model, options.KeywordIndices(model.Labels), options);

    /// <param name="posteriors">Smoothed probabilities, in label order.</param>
    /// <param name="end">Seconds: the step's time (end of the audio heard).</param>
    /// <returns>The detection decided at this step, spanning the clip of audio before <paramref name="end"/>; or null.</returns>
    public Detection? Observe(ReadOnlySpan<float> posteriors, double end)
    {
        var best = -1;
        foreach (var k in keywords)
            if (best < 0 || posteriors[k] > posteriors[best]) best = k;
        // A small tolerance keeps a hop-aligned refractory time from depending on floating-point rounding.
        if (posteriors[best] < threshold || end - lastEnd < refractorySeconds - 1e-9)
            return null;
        lastEnd = end;
        return new Detection(labels[best], Math.Max(0, end - contextSeconds), end, posteriors[best]);
    }
}
