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

    /// <summary>The refractory time of a model that declares none (<see cref="StepModelInfo.RefractorySeconds"/>).</summary>
    public const double DefaultRefractorySeconds = 1.0;

    /// <summary>
    /// Seconds after a detection during which no other fires; null: the model's (<see cref="StepModelInfo.RefractorySeconds"/>:
    /// 1 s, 1.5 s for a head over the speech embedding, which keeps a word in view for about two seconds).
    /// </summary>
    public double? RefractorySeconds { get; init; }

    /// <summary>
    /// The words that may fire, a subset of the model's keywords; null for all of them. The others take probability
    /// away from these, as the rejection classes do: listening for a few words fires less often on the rest.
    /// </summary>
    public IReadOnlyList<string>? Keywords { get; init; }

    /// <summary>The class indices of the words that may fire (<see cref="Keywords"/>) in <paramref name="labels"/>.</summary>
    /// <exception cref="OptionException">A word is not one of the model's keywords.</exception>
    public IReadOnlyList<int> KeywordIndices(LabelSet labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (Keywords is null)
            return labels.KeywordIndices;
        return [.. Keywords.Select(word => labels.IndexOf(word) is { } k && labels.IsKeyword(k) ? k
            : throw new OptionException(Property(nameof(Keywords)), $"'{word}' is not a keyword of the model (its keywords: " +
                $"{string.Join(",", labels.KeywordIndices.Select(i => labels[i]))})"))];
    }

    /// <summary>Throws <see cref="OptionException"/> naming the property with the bad value (<see cref="Property"/>).</summary>
    public RecognizerOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(State);
        State.Validate();
        if (SmoothingSteps < 1) throw new OptionException(Property(nameof(SmoothingSteps)), $"must be at least 1 step, got {SmoothingSteps}");
        if (!(Threshold is >= 0 and <= 1)) throw new OptionException(Property(nameof(Threshold)), $"must lie in [0, 1], got {Threshold}");
        if (RefractorySeconds is { } refractory && (!(refractory >= 0) || double.IsInfinity(refractory)))
            throw new OptionException(Property(nameof(RefractorySeconds)), $"must be 0 or more seconds, got {RefractorySeconds}");
        if (Keywords is { Count: 0 }) throw new OptionException(Property(nameof(Keywords)), "must name at least one word");
        if (Keywords?.GroupBy(w => w, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new OptionException(Property(nameof(Keywords)), $"names '{twice.Key}' twice");
        return this;
    }

    /// <summary>How an <see cref="OptionException"/> names one of these properties: <c>RecognizerOptions.Threshold</c>.</summary>
    public static string Property(string name) => $"{nameof(RecognizerOptions)}.{name}";
}
