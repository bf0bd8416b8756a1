namespace TfCrnn.Synthesis;

/// <summary>Options of <c>tfcrnn synth</c>: a synthetic Speech Commands set spoken by espeak-ng.</summary>
public sealed record SynthesisOptions
{
    public const int DefaultClipsPerWord = 60;

    /// <summary>The dataset folder to write (<c>&lt;word&gt;/&lt;speaker&gt;_nohash_&lt;n&gt;.wav</c> and the split lists).</summary>
    public required string OutputDirectory { get; init; }

    public int ClipsPerWord { get; init; } = DefaultClipsPerWord;

    /// <summary>Fixes voices, offsets and noise: the same seed writes the same files.</summary>
    public int Seed { get; init; }

    /// <summary>Standard deviation of the added Gaussian background noise (full scale = 1); 0 for none.</summary>
    public double Noise { get; init; } = 0.005;

    /// <summary>espeak-ng processes run at once.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>The words to speak; default all 35 labels.</summary>
    public IReadOnlyList<string>? Words { get; init; }

    /// <summary>The espeak-ng executable (a name on PATH or a path).</summary>
    public string Espeak { get; init; } = "espeak-ng";

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public SynthesisOptions Validate()
    {
        OptionChecks.Required("--out", OutputDirectory);
        OptionChecks.AtLeast("--clips-per-word", ClipsPerWord, 1);
        OptionChecks.NotNegative("--noise", Noise);
        OptionChecks.AtLeast("--threads", Threads, 1);
        foreach (var word in Words ?? [])
            OptionChecks.Word("words", word);
        return this;
    }
}

/// <summary>What a synthesis wrote.</summary>
/// <param name="Clips">Clips written.</param>
/// <param name="Speakers">Distinct voice settings used.</param>
/// <param name="Train">Clips in the training split.</param>
/// <param name="Valid">Clips in validation_list.txt.</param>
/// <param name="Test">Clips in testing_list.txt.</param>
public sealed record SynthesisResult(int Clips, int Speakers, int Train, int Valid, int Test);
