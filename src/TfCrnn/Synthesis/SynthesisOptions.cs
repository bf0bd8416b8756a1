using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>Options of <c>tfcrnn synth</c>: a synthetic Speech Commands set spoken by espeak-ng, and by SVOX Pico and RHVoice where installed.</summary>
public sealed record SynthesisOptions
{
    /// <summary>Clips of each of the 35 words by default.</summary>
    public const int DefaultClipsPerWord = 60;

    // Sized for the quickstart's "35 commands + none" model: about as many non-keyword clips as four commands
    // have, spread over many words (the near-misses first), leaving the rest of the vocabulary unheard for streams.
    /// <summary>Non-keyword words and phrases spoken by default.</summary>
    public const int DefaultNonKeywordWords = 120;

    /// <summary>Clips of each non-keyword word by default.</summary>
    public const int DefaultNonKeywordClipsPerWord = 2;

    /// <summary>Seconds of each background-noise recording by default.</summary>
    public const double DefaultBackgroundNoiseSeconds = 60;

    /// <summary>Clips of each word by each held-out speaker set by default.</summary>
    public const int DefaultHeldOutClipsPerWord = 10;

    /// <summary>
    /// The dataset folder to write: <c>&lt;word&gt;/&lt;speaker&gt;_nohash_&lt;n&gt;.wav</c> for the commands and the
    /// non-keywords, <c>_background_noise_/</c>, the split lists and <c>voices.csv</c> (each voice configuration's id and split).
    /// </summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Clips of each of the 35 words.</summary>
    public int ClipsPerWord { get; init; } = DefaultClipsPerWord;

    /// <summary>Fixes deliveries, offsets and noise: the same seed writes the same files.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Standard deviation of Gaussian noise added to every clip (full scale = 1); 0, the default, for none. The same floor
    /// under every clip is a cue that models learn: trained on clips with 0.005, the quickstart's models rejected nearly
    /// every word without it (bench/results/augmentation.md, "The white-noise floor: a shortcut"). Noise belongs in
    /// training's augmentation, where it varies.
    /// </summary>
    public double Noise { get; init; }

    /// <summary>Synthesiser processes run at once.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>The commands to speak; default all 35 labels.</summary>
    public IReadOnlyList<string>? Words { get; init; }

    /// <summary>How many entries of <see cref="Vocabulary.NonKeywords"/> to speak, from its start (near-misses first); 0 for none.</summary>
    public int NonKeywordWords { get; init; } = DefaultNonKeywordWords;

    /// <summary>Clips of each non-keyword word or phrase.</summary>
    public int NonKeywordClipsPerWord { get; init; } = DefaultNonKeywordClipsPerWord;

    /// <summary>Length of each recording in <c>_background_noise_/</c>; 0 writes none.</summary>
    public double BackgroundNoiseSeconds { get; init; } = DefaultBackgroundNoiseSeconds;

    /// <summary>Voices (espeak-ng's, MBROLA's, Pico's, RHVoice's) to draw speakers from; default <see cref="VoiceCatalog.InstalledVoices()"/>.</summary>
    public IReadOnlyList<string>? Voices { get; init; }

    /// <summary>Variants to draw speakers from (each voice takes those of its engine); default all of <see cref="VoiceCatalog.AllVariants"/>.</summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>Voices whose configurations speak only in the held-out clips, never in train or validation.</summary>
    public IReadOnlyList<string>? HoldOutVoices { get; init; }

    /// <summary>Variants whose configurations speak only in the held-out clips, never in train or validation.</summary>
    public IReadOnlyList<string>? HoldOutVariants { get; init; }

    /// <summary>Clips of each command spoken by held-out configurations (non-keywords get the same share of theirs, at least one).</summary>
    public int HeldOutClipsPerWord { get; init; } = DefaultHeldOutClipsPerWord;

    /// <summary>
    /// Where the held-out clips go: null puts them in <see cref="OutputDirectory"/>'s test split; a folder makes them a
    /// dataset of their own (all listed as test, with its own <c>_background_noise_</c> whose babble is held-out voices).
    /// </summary>
    public string? HeldOutOutputDirectory { get; init; }

    /// <summary>The espeak-ng executable (a name on PATH or a path).</summary>
    public string Espeak { get; init; } = "espeak-ng";

    internal bool HasHoldOut => HoldOutVoices is { Count: > 0 } || HoldOutVariants is { Count: > 0 };

    /// <summary>Whether a configuration is held out by <see cref="HoldOutVoices"/> or <see cref="HoldOutVariants"/>.</summary>
    internal bool IsHeldOut(VoiceConfiguration configuration) =>
        (HoldOutVoices?.Contains(configuration.Voice, StringComparer.Ordinal) ?? false)
        || (HoldOutVariants?.Contains(configuration.Variant, StringComparer.Ordinal) ?? false);

    /// <summary>The held-out clips of each non-keyword: the commands' held-out share of its clips, at least one.</summary>
    internal int HeldOutNonKeywordClips => Math.Max(1, (int)Math.Round((double)NonKeywordClipsPerWord * HeldOutClipsPerWord / ClipsPerWord));

    /// <summary>
    /// The <c>tfcrnn synth</c> options that only a dataset takes (those of this record);
    /// <see cref="StreamSynthesisOptions.CheckMode"/> refuses them with <c>--stream</c>.
    /// </summary>
    internal static readonly IReadOnlyList<string> DatasetOnly =
    [
        "--clips-per-word", "--noise", "--non-keyword-words", "--non-keyword-clips-per-word", "--background-noise-seconds",
        "--hold-out-voices", "--hold-out-variants", "--held-out-clips-per-word", "--held-out-out",
    ];

    /// <summary>Throws <see cref="OptionException"/> (or <see cref="TfCrnnException"/> for combinations) naming the first bad option.</summary>
    public SynthesisOptions Validate()
    {
        OptionChecks.Required("--out", OutputDirectory);
        OptionChecks.AtLeast("--clips-per-word", ClipsPerWord, 1);
        OptionChecks.NotNegative("--noise", Noise);
        OptionChecks.AtLeast("--threads", Threads, 1);
        foreach (var word in Words ?? [])
            OptionChecks.Word("words", word);
        if (NonKeywordWords < 0 || NonKeywordWords > Vocabulary.NonKeywords.Count)
            throw new OptionException("--non-keyword-words", $"must be between 0 and {Vocabulary.NonKeywords.Count}, got {NonKeywordWords}");
        OptionChecks.AtLeast("--non-keyword-clips-per-word", NonKeywordClipsPerWord, 1);
        if (!(BackgroundNoiseSeconds >= 0 && BackgroundNoiseSeconds <= 3600))
            throw new OptionException("--background-noise-seconds", $"must be between 0 and 3600, got {BackgroundNoiseSeconds}");
        var configurations = VoiceCatalog.Configurations(Voices, Variants);
        if (HoldOutVoices is not null) VoiceCatalog.Check(HoldOutVoices, VoiceCatalog.Voices, "voice");
        if (HoldOutVariants is not null) VoiceCatalog.Check(HoldOutVariants, VoiceCatalog.AllVariants, "variant");
        OptionChecks.AtLeast("--held-out-clips-per-word", HeldOutClipsPerWord, 1);
        if (HasHoldOut && !configurations.Any(IsHeldOut))
            throw new TfCrnnException("no voice configuration is held out: the --hold-out-voices and --hold-out-variants are not among the --voices and --variants spoken");
        if (HeldOutOutputDirectory is not null && !HasHoldOut)
            throw new OptionException("--held-out-out", "needs --hold-out-voices or --hold-out-variants");
        if (HeldOutOutputDirectory is not null && Path.GetFullPath(HeldOutOutputDirectory) == Path.GetFullPath(OutputDirectory))
            throw new OptionException("--held-out-out", "must be another folder than --out (leave it out to put the held-out clips in the test split)");
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
/// <param name="HeldOut">Clips by held-out configurations (in <see cref="Test"/> unless written to their own folder, not in <see cref="Clips"/> then).</param>
public sealed record SynthesisResult(int Clips, int NonKeywordClips, int Speakers, int Train, int Valid, int Test, int NoiseFiles, int HeldOut);
