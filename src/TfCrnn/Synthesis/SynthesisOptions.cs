using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>Options of <c>tfcrnn synth</c>: a synthetic Speech Commands set spoken by espeak-ng.</summary>
public sealed record SynthesisOptions
{
    public const int DefaultClipsPerWord = 60;

    // Sized for the quickstart's "35 commands + none" model: about as many non-keyword clips as four commands
    // have, spread over many words (the near-misses first), leaving the rest of the vocabulary unheard for streams.
    public const int DefaultNonKeywordWords = 120;

    public const int DefaultNonKeywordClipsPerWord = 2;

    public const double DefaultBackgroundNoiseSeconds = 60;

    /// <summary>
    /// The dataset folder to write: <c>&lt;word&gt;/&lt;speaker&gt;_nohash_&lt;n&gt;.wav</c> for the commands and the
    /// non-keywords, <c>_background_noise_/</c>, the split lists and <c>voices.csv</c> (each voice configuration's id and split).
    /// </summary>
    public required string OutputDirectory { get; init; }

    public int ClipsPerWord { get; init; } = DefaultClipsPerWord;

    /// <summary>Fixes deliveries, offsets and noise: the same seed writes the same files.</summary>
    public int Seed { get; init; }

    /// <summary>Standard deviation of the added Gaussian background noise (full scale = 1); 0 for none.</summary>
    public double Noise { get; init; } = 0.005;

    /// <summary>espeak-ng processes run at once.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>The commands to speak; default all 35 labels.</summary>
    public IReadOnlyList<string>? Words { get; init; }

    /// <summary>How many entries of <see cref="Vocabulary.NonKeywords"/> to speak, from its start (near-misses first); 0 for none.</summary>
    public int NonKeywordWords { get; init; } = DefaultNonKeywordWords;

    /// <summary>Clips of each non-keyword word or phrase.</summary>
    public int NonKeywordClipsPerWord { get; init; } = DefaultNonKeywordClipsPerWord;

    /// <summary>Length of each recording in <c>_background_noise_/</c>; 0 writes none.</summary>
    public double BackgroundNoiseSeconds { get; init; } = DefaultBackgroundNoiseSeconds;

    /// <summary>espeak-ng voices to draw speakers from; default all of <see cref="VoiceCatalog.Voices"/>.</summary>
    public IReadOnlyList<string>? Voices { get; init; }

    /// <summary>espeak-ng variants to draw speakers from; default all of <see cref="VoiceCatalog.Variants"/>.</summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>The espeak-ng executable (a name on PATH or a path).</summary>
    public string Espeak { get; init; } = "espeak-ng";

    /// <summary>Throws <see cref="TfCrnnException"/> naming the first bad option.</summary>
    public SynthesisOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new TfCrnnException("synth needs an output folder (--out)");
        if (ClipsPerWord < 1) throw new TfCrnnException($"--clips-per-word must be at least 1, got {ClipsPerWord}");
        if (Threads < 1) throw new TfCrnnException($"--threads must be at least 1, got {Threads}");
        if (!(Noise >= 0)) throw new TfCrnnException($"--noise must be 0 or more, got {Noise}");
        if (NonKeywordWords < 0 || NonKeywordWords > Vocabulary.NonKeywords.Count)
            throw new TfCrnnException($"--non-keyword-words must be between 0 and {Vocabulary.NonKeywords.Count}, got {NonKeywordWords}");
        if (NonKeywordClipsPerWord < 1) throw new TfCrnnException($"--non-keyword-clips-per-word must be at least 1, got {NonKeywordClipsPerWord}");
        if (!(BackgroundNoiseSeconds >= 0 && BackgroundNoiseSeconds <= 3600))
            throw new TfCrnnException($"--background-noise-seconds must be between 0 and 3600, got {BackgroundNoiseSeconds}");
        if (Words is not null && Words.FirstOrDefault(w => !Labels.TryIndexOf(w, out _)) is { } unknown)
            throw new TfCrnnException($"cannot synthesise '{unknown}': not one of the {Labels.Count} Speech Commands words");
        VoiceCatalog.Configurations(Voices, Variants);
        return this;
    }
}

/// <summary>What a synthesis wrote.</summary>
/// <param name="Clips">Clips written (commands and non-keywords).</param>
/// <param name="NonKeywordClips">Of those, clips of non-keyword words and phrases.</param>
/// <param name="Speakers">Distinct voice configurations used.</param>
/// <param name="Train">Clips in the training split.</param>
/// <param name="Valid">Clips in validation_list.txt.</param>
/// <param name="Test">Clips in testing_list.txt.</param>
/// <param name="NoiseFiles">Recordings written to <c>_background_noise_/</c>.</param>
public sealed record SynthesisResult(int Clips, int NonKeywordClips, int Speakers, int Train, int Valid, int Test, int NoiseFiles);
