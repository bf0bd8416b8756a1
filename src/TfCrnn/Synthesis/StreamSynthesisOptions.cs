using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// Options of <c>tfcrnn synth --stream</c>: one long recording of keywords among other speech, gaps and
/// background noise, with the keywords' speech bounds, spoken by espeak-ng or taken from a dataset split.
/// </summary>
public sealed record StreamSynthesisOptions
{
    /// <summary>Longest stream: it is built in memory (about 6 MB a minute).</summary>
    public const double MaxMinutes = 120;

    /// <summary>Most utterances a minute: each needs at least a 0.2 s gap and some 0.3 s of speech.</summary>
    public const double MaxUtterancesPerMinute = 120;

    /// <summary>The folder to write: <c>stream.wav</c>, <c>labels.csv</c> and <c>events.csv</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Length of the recording.</summary>
    public double Minutes { get; init; } = 5;

    /// <summary>Fixes the words, voices, order, gaps, levels and noise: the same seed writes the same stream.</summary>
    public int Seed { get; init; }

    /// <summary>Keywords spoken per minute on average (ignored with <see cref="NoKeywords"/>).</summary>
    public double KeywordsPerMinute { get; init; } = 20;

    /// <summary>Non-keyword words and phrases per minute; default 10, or 20 with <see cref="NoKeywords"/>.</summary>
    public double? NonKeywordsPerMinute { get; init; }

    /// <summary>Non-command sentences per minute (espeak-ng streams only); default 2, or 6 with <see cref="NoKeywords"/>.</summary>
    public double? SentencesPerMinute { get; init; }

    /// <summary>A stream without keywords, to count false alarms: <c>labels.csv</c> has only its header.</summary>
    public bool NoKeywords { get; init; }

    /// <summary>The commands that count as keywords (labelled); default all 35. The other commands are spoken as non-keywords.</summary>
    public IReadOnlyList<string>? Keywords { get; init; }

    /// <summary>Background noise level range: each stretch of 5-30 s gets a noise and an SNR in [min, max] dB against the median speech level.</summary>
    public double MinSnr { get; init; } = 5;

    /// <summary>The highest speech-to-noise ratio, in dB.</summary>
    public double MaxSnr { get; init; } = 25;

    /// <summary>Add background noise (false: the words and silence only).</summary>
    public bool BackgroundNoise { get; init; } = true;

    /// <summary>Voices to speak with (synthesised streams); default <see cref="VoiceCatalog.InstalledVoices()"/>.</summary>
    public IReadOnlyList<string>? Voices { get; init; }

    /// <summary>Variants to speak with (synthesised streams; each voice takes those of its engine); default all of <see cref="VoiceCatalog.AllVariants"/>.</summary>
    public IReadOnlyList<string>? Variants { get; init; }

    /// <summary>A Speech Commands dataset (folder or .tar.gz) whose clips and <c>_background_noise_</c> make the stream instead of espeak-ng.</summary>
    public string? DatasetPath { get; init; }

    /// <summary>The dataset split whose clips are used: <c>train</c>, <c>valid</c> or <c>test</c>.</summary>
    public string Split { get; init; } = "test";

    /// <summary>Synthesiser processes run at once.</summary>
    public int Threads { get; init; } = 2;

    /// <summary>The espeak-ng executable (a name on PATH or a path).</summary>
    public string Espeak { get; init; } = "espeak-ng";

    internal double EffectiveKeywordsPerMinute => NoKeywords ? 0 : KeywordsPerMinute;

    internal double EffectiveNonKeywordsPerMinute => NonKeywordsPerMinute ?? (NoKeywords ? 20 : 10);

    internal double EffectiveSentencesPerMinute => DatasetPath is not null ? 0 : SentencesPerMinute ?? (NoKeywords ? 6 : 2);

    internal IReadOnlyList<string> EffectiveKeywords => Keywords ?? Labels.All;

    /// <summary>The split named by <see cref="Split"/>.</summary>
    internal Split ParsedSplit => Split switch
    {
        "train" => Data.Split.Train,
        "valid" or "validation" => Data.Split.Valid,
        "test" => Data.Split.Test,
        _ => throw new TfCrnnException($"--split must be train, valid or test, got '{Split}'"),
    };

    /// <summary>The <c>tfcrnn synth</c> options that only a stream takes (those of this record).</summary>
    internal static readonly IReadOnlyList<string> StreamOnly =
    [
        "--minutes", "--keywords-per-minute", "--non-keywords-per-minute", "--sentences-per-minute", "--no-keywords", "--keywords",
        "--snr", "--no-noise", "--from", "--split",
    ];

    /// <summary>
    /// Checks that the <c>tfcrnn synth</c> options <paramref name="given"/> belong to the mode chosen: a stream
    /// (<c>--stream</c>, this record) or a dataset (<see cref="SynthesisOptions"/>).
    /// </summary>
    /// <exception cref="OptionException">An option of the other mode, named.</exception>
    public static void CheckMode(bool stream, IEnumerable<string> given)
    {
        if (stream) OptionChecks.NoneOf(given, SynthesisOptions.DatasetOnly, "applies to a dataset, not to --stream");
        else OptionChecks.NoneOf(given, StreamOnly, "needs --stream");
    }

    /// <summary>Throws <see cref="TfCrnnException"/> naming the first bad option.</summary>
    public StreamSynthesisOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new TfCrnnException("synth --stream needs an output folder (--out)");
        if (!(Minutes > 0 && Minutes <= MaxMinutes)) throw new TfCrnnException($"--minutes must be more than 0 and at most {MaxMinutes}, got {Minutes}");
        if (!(KeywordsPerMinute >= 0)) throw new TfCrnnException($"--keywords-per-minute must be 0 or more, got {KeywordsPerMinute}");
        if (NonKeywordsPerMinute is { } n && !(n >= 0)) throw new TfCrnnException($"--non-keywords-per-minute must be 0 or more, got {n}");
        if (SentencesPerMinute is { } s && !(s >= 0)) throw new TfCrnnException($"--sentences-per-minute must be 0 or more, got {s}");
        if (SentencesPerMinute is > 0 && DatasetPath is not null)
            throw new TfCrnnException("--sentences-per-minute needs espeak-ng; a dataset stream (--from) has no sentences");
        if (!(double.IsFinite(MinSnr) && double.IsFinite(MaxSnr) && MinSnr <= MaxSnr))
            throw new TfCrnnException($"--snr needs MIN,MAX with MIN <= MAX, got {MinSnr},{MaxSnr}");
        if (Threads < 1) throw new TfCrnnException($"--threads must be at least 1, got {Threads}");
        if (EffectiveKeywords.Count == 0) throw new TfCrnnException("--keywords is empty");
        if (EffectiveKeywords.FirstOrDefault(w => !Labels.TryIndexOf(w, out _)) is { } unknown)
            throw new TfCrnnException($"keyword '{unknown}' is not one of the {Labels.Count} Speech Commands words");
        var perMinute = EffectiveKeywordsPerMinute + EffectiveNonKeywordsPerMinute + EffectiveSentencesPerMinute;
        if (perMinute <= 0)
            throw new TfCrnnException("the stream would have no speech: give a positive --keywords-per-minute or --non-keywords-per-minute");
        if (perMinute > MaxUtterancesPerMinute)
            throw new TfCrnnException($"{perMinute} utterances a minute do not fit: each takes at least half a second with its gap, " +
                $"so at most {MaxUtterancesPerMinute} a minute (lower the words or sentences per minute)");
        _ = ParsedSplit;
        if (DatasetPath is null)
            VoiceCatalog.Configurations(Voices, Variants);
        else if (Voices is not null || Variants is not null)
            throw new TfCrnnException("--voices and --variants choose espeak-ng speakers; a dataset stream (--from) uses the dataset's speakers");
        return this;
    }
}

/// <summary>What a stream synthesis wrote.</summary>
/// <param name="AudioPath">The stream, 16 kHz mono 16-bit.</param>
/// <param name="LabelsPath"><c>start_seconds,end_seconds,word</c> for every keyword.</param>
/// <param name="Seconds">Length of the stream.</param>
/// <param name="Keywords">Keywords in the stream (rows of labels.csv).</param>
/// <param name="NonKeywords">Non-keyword words, phrases and sentences in the stream.</param>
/// <param name="Warnings">What could not be done as asked (for example a dataset without <c>_background_noise_</c>).</param>
public sealed record StreamSynthesisResult(string AudioPath, string LabelsPath, double Seconds, int Keywords, int NonKeywords, IReadOnlyList<string> Warnings);
