namespace TfCrnn.Runtime;

/// <summary>How a <see cref="StreamingRecognizer"/> keeps state and decides detections.</summary>
public sealed record RecognizerOptions
{
    /// <summary>How the recurrent state is kept over the stream.</summary>
    public StatePolicy State { get; init; } = StatePolicy.Sliding;

    /// <summary>Steps averaged by the posterior smoothing (1: none).</summary>
    public int SmoothingSteps { get; init; } = 3;

    /// <summary>Smoothed keyword probability at which a detection fires.</summary>
    public float Threshold { get; init; } = 0.8f;

    /// <summary>Seconds after a detection during which no other fires.</summary>
    public double RefractorySeconds { get; init; } = 1.0;

    /// <summary>Throws <see cref="OptionException"/> naming the bad value as the <c>stream</c> option.</summary>
    public RecognizerOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(State);
        State.Validate();
        if (SmoothingSteps < 1) throw new OptionException("--smoothing", $"must be at least 1 step, got {SmoothingSteps}");
        if (!(Threshold is >= 0 and <= 1)) throw new OptionException("--threshold", $"must lie in [0, 1], got {Threshold}");
        if (!(RefractorySeconds >= 0) || double.IsInfinity(RefractorySeconds))
            throw new OptionException("--refractory", $"must be 0 or more seconds, got {RefractorySeconds}");
        return this;
    }
}
