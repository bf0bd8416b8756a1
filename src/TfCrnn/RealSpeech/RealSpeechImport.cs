using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Synthesis;

namespace TfCrnn.RealSpeech;

/// <summary>How a source names its recordings, which tells each one's word and speaker.</summary>
public enum RealSourceLayout
{
    /// <summary>Speech Commands clips: <c>WORD/SPEAKER_nohash_N.wav</c> or flat <c>WORD_SPEAKER_nohash_N.wav</c>.</summary>
    SpeechCommands,

    /// <summary>The Free Spoken Digit Dataset: <c>DIGIT_SPEAKER_INDEX.wav</c> (e.g. <c>7_jackson_32.wav</c>).</summary>
    Fsdd,

    /// <summary>
    /// A folder a word: <c>WORD/NAME.wav</c>, the folder naming the word (a phrase's spaces become underscores, as
    /// <c>synth</c> names its phrase folders) and the file its speaker, unless <see cref="RealImportOptions.Speaker"/>
    /// names one speaker for the whole source.
    /// </summary>
    Words,

    /// <summary>
    /// Recordings of background noise, no speech: each file (<c>NAME.wav</c>, its own "speaker") is cut into consecutive
    /// one-second clips <c>_silence_/NAME_nohash_K.wav</c>, the K-th second, as the 12-label test set's <c>_silence_</c>
    /// clips are; <see cref="RealImportOptions.MaxPerWord"/> caps the clips taken from each recording.
    /// </summary>
    Noise,
}

/// <summary>What <c>tfcrnn data import-real</c> does, callable from C#: <see cref="RealSpeechImport.Run"/>.</summary>
public sealed record RealImportOptions
{
    /// <summary>The names <see cref="Layout"/> accepts.</summary>
    public static readonly IReadOnlyList<string> LayoutNames = ["speech-commands", "fsdd", "words", "noise"];

    /// <summary>The folder of the source's recordings (searched recursively for .wav files).</summary>
    public required string SourceDirectory { get; init; }

    /// <summary>The dataset folder to add the clips to, in the Speech Commands layout.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>speech-commands, fsdd, words or noise (<see cref="RealSourceLayout"/>).</summary>
    public required string Layout { get; init; }

    /// <summary>The source's name for the provenance file, e.g. <c>Jakobovski/free-spoken-digit-dataset</c>.</summary>
    public required string SourceName { get; init; }

    /// <summary>The source's licence as its repository states it, e.g. <c>CC-BY-SA-4.0</c>.</summary>
    public required string Licence { get; init; }

    /// <summary>The source's revision (a commit), where known.</summary>
    public string Commit { get; init; } = "";

    /// <summary>Only these speakers (as the source names them); null: all.</summary>
    public IReadOnlyList<string>? Speakers { get; init; }

    /// <summary>Never these speakers; e.g. those of a dev set, when laying out training data.</summary>
    public IReadOnlyList<string>? ExcludeSpeakers { get; init; }

    /// <summary>At most this many clips per word, taken in turn from each speaker; 0: all.</summary>
    public int MaxPerWord { get; init; }

    /// <summary>
    /// The one speaker of every recording of a <c>words</c> source (letters, digits and '-'); null: each file its own,
    /// named by the source and the file.
    /// </summary>
    public string? Speaker { get; init; }

    /// <summary><see cref="Layout"/> as a value (an <see cref="OptionException"/> for an unknown name).</summary>
    public RealSourceLayout ParsedLayout => Layout switch
    {
        "speech-commands" => RealSourceLayout.SpeechCommands,
        "words" => RealSourceLayout.Words,
        "noise" => RealSourceLayout.Noise,
        _ => RealSourceLayout.Fsdd,
    };

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public RealImportOptions Validate()
    {
        OptionChecks.Required("--from", SourceDirectory);
        OptionChecks.Required("--out", OutputDirectory);
        OptionChecks.OneOf("--layout", Layout, LayoutNames);
        OptionChecks.Required("--source", SourceName);
        OptionChecks.Required("--licence", Licence);
        OptionChecks.NotNegative("--max-per-word", MaxPerWord);
        if (Speaker is not null)
        {
            if (ParsedLayout != RealSourceLayout.Words)
                throw new OptionException("--speaker", "only a words source takes one speaker for all its files; the other layouts name theirs");
            if (Speaker.Length == 0 || !Speaker.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                throw new OptionException("--speaker", $"must be letters, digits and '-', got '{Speaker}'");
        }
        if (RealSpeechImport.IsOfficialTestSet(SourceDirectory))
            throw new OptionException("--from", $"{SourceDirectory}: a copy of the official Speech Commands test set, " +
                "the benchmark this project is judged on; it is never used, not even to measure");
        if (!Directory.Exists(SourceDirectory))
            throw new OptionException("--from", $"{SourceDirectory}: no such folder");
        return this;
    }
}

/// <summary>What an import did.</summary>
/// <param name="Imported">Clips written (and given a provenance row).</param>
/// <param name="RefusedValidation">Speech Commands clips refused: the hash rule puts their speaker in validation.</param>
/// <param name="RefusedTest">Speech Commands clips refused: the hash rule puts their speaker in testing.</param>
/// <param name="Unnamed">Files whose names do not follow the layout (listed in <paramref name="Warnings"/>).</param>
/// <param name="Unreadable">Files that are not readable WAV audio (listed in <paramref name="Warnings"/>).</param>
/// <param name="LeftOut">Clips left out by the speaker filters or <see cref="RealImportOptions.MaxPerWord"/>.</param>
public sealed record RealImportReport(
    [property: JsonPropertyName("imported")] int Imported,
    [property: JsonPropertyName("refused_validation")] int RefusedValidation,
    [property: JsonPropertyName("refused_test")] int RefusedTest,
    [property: JsonPropertyName("unnamed")] int Unnamed,
    [property: JsonPropertyName("unreadable")] int Unreadable,
    [property: JsonPropertyName("left_out")] int LeftOut,
    [property: JsonPropertyName("speakers")] IReadOnlyList<string> Speakers,
    [property: JsonPropertyName("provenance")] string ProvenancePath,
    [property: JsonIgnore] IReadOnlyList<string> Warnings)
{
    /// <summary>The counts as one JSON object (what <c>data import-real --json</c> prints).</summary>
    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>
/// Lays recordings of real people into the Speech Commands folder layout the toolkit reads
/// (<c>WORD/SPEAKER_nohash_N.wav</c>, 16 kHz mono, one second) and records each clip's origin and licence in
/// <see cref="ProvenanceFile"/>. Speech Commands clips are kept only when the dataset's own hash rule
/// (<see cref="SplitRule"/>) puts their speaker in the training split: the validation and testing speakers are
/// those of the published benchmarks. Nothing is downloaded: the source is a folder the user has.
/// </summary>
public static class RealSpeechImport
{
    private const string NoHash = "_nohash_";

    private static readonly string[] Digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    /// <summary>The folder of <see cref="RealSourceLayout.Noise"/> clips, as the 12-label test set names its noise clips.</summary>
    public const string SilenceFolder = "_silence_";

    /// <summary>A recording of a source: its path inside the source, word, speaker as the source names them, and name in the dataset.</summary>
    private sealed record Recording(string OriginalPath, string Word, string Speaker, string DatasetSpeaker, string Index)
    {
        public string Clip => $"{Word}/{DatasetSpeaker}{NoHash}{Index}.wav";
    }

    /// <summary>Imports the source into the output folder (validating the options first).</summary>
    public static RealImportReport Run(RealImportOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var source = Path.GetFullPath(options.SourceDirectory);
        var warnings = new List<string>();
        var recordings = new List<Recording>();
        var files = Directory.EnumerateFiles(source, "*.wav", new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive })
            .Select(f => Path.GetRelativePath(source, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Contains(SpeechCommandsDataset.BackgroundNoiseFolder))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (Parse(options, file) is { } recording) recordings.Add(recording);
            else warnings.Add($"{file}: not named as the {options.Layout} layout names clips; skipped");
        }
        var unnamed = warnings.Count;
        if (options.ParsedLayout == RealSourceLayout.Words && options.Speaker is not null)
            recordings = [.. recordings.GroupBy(r => r.Word).SelectMany(word => word.Select((r, n) => r with { Index = n.ToString(CultureInfo.InvariantCulture) }))];

        var refusedValidation = 0;
        var refusedTest = 0;
        if (options.ParsedLayout == RealSourceLayout.SpeechCommands)
        {
            var kept = new List<Recording>();
            foreach (var recording in recordings)
                switch (SpeakerSplit(recording.Speaker))
                {
                    case Split.Valid: refusedValidation++; break;
                    case Split.Test: refusedTest++; break;
                    default: kept.Add(recording); break;
                }
            recordings = kept;
        }

        var chosen = options.ParsedLayout == RealSourceLayout.Noise ? Choose(recordings, options with { MaxPerWord = 0 }) : Choose(recordings, options);
        Directory.CreateDirectory(options.OutputDirectory);
        var rows = new List<ProvenanceRow>();
        var unreadable = 0;
        foreach (var recording in chosen)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = Path.Combine(source, recording.OriginalPath);
            WavAudio audio;
            try
            {
                audio = WavFile.Read(file);
            }
            catch (AudioFormatException error)
            {
                // One broken recording of a public source must not stop the others (nor leave clips without provenance).
                warnings.Add($"{recording.OriginalPath}: {error.Message}; skipped");
                unreadable++;
                continue;
            }
            var samples = Resampler.Resample(audio.MixDown(), audio.SampleRate, SpeechCommandsDataset.SampleRate);
            var clips = options.ParsedLayout == RealSourceLayout.Noise
                ? Seconds(samples, recording, options.MaxPerWord)
                : [(recording.Clip, recording.OriginalPath, OneSecond(samples))];
            foreach (var (clip, original, second) in clips)
            {
                WavFile.WritePcm16(Path.Combine(options.OutputDirectory, clip), second, SpeechCommandsDataset.SampleRate);
                rows.Add(new ProvenanceRow(clip, options.SourceName, original, recording.Speaker, recording.Word,
                    options.Licence, options.Commit, audio.SampleRate));
            }
        }
        var provenance = ProvenanceFile.Merge(options.OutputDirectory, rows);
        return new RealImportReport(rows.Count, refusedValidation, refusedTest, unnamed, unreadable,
            recordings.Count - chosen.Count, [.. rows.Select(r => r.Speaker).Distinct().Order(StringComparer.Ordinal)], provenance, warnings);
    }

    /// <summary>The split the Speech Commands hash rule gives every clip of <paramref name="speaker"/>.</summary>
    public static Split SpeakerSplit(string speaker) => SplitRule.Of($"{speaker}{NoHash}0.wav");

    /// <summary>Whether a path names the official test set's archive or folder (<c>speech_commands_test_set_v0.0x</c>).</summary>
    public static bool IsOfficialTestSet(string path) =>
        Path.GetFullPath(path).Contains("speech_commands_test_set", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The recording's word and speaker from its path, or null where the name does not follow the layout. In a flat
    /// Speech Commands folder the word is the name's first part (<c>backward_f035e2ea_nohash_3.wav</c>); the speaker
    /// is always the part just before <c>_nohash_</c>, which is what the hash rule hashes. A <c>words</c> source's
    /// dataset speaker joins the source's name to the file's (<c>Picovoice-wake-word-benchmark-17</c>).
    /// </summary>
    private static Recording? Parse(RealImportOptions options, string relativePath)
    {
        var name = Path.GetFileNameWithoutExtension(relativePath);
        var folder = Path.GetFileName(Path.GetDirectoryName(relativePath)) ?? "";
        if (options.ParsedLayout == RealSourceLayout.Noise)
            return Slug(name) is { Length: > 0 } noise ? new Recording(relativePath, SilenceFolder, name, noise, "") : null;
        if (options.ParsedLayout == RealSourceLayout.Words)
        {
            var word = Vocabulary.FolderName(folder.Trim().ToLowerInvariant());
            var speaker = options.Speaker ?? name;
            var datasetSpeaker = options.Speaker ?? Slug($"{options.SourceName.Split('/')[^1]}-{name}");
            return IsPhrase(word) && datasetSpeaker.Length > 0 ? new Recording(relativePath, word, speaker, datasetSpeaker, "0") : null;
        }
        if (options.ParsedLayout == RealSourceLayout.SpeechCommands)
        {
            var cut = name.IndexOf(NoHash, StringComparison.Ordinal);
            if (cut <= 0) return null;
            var index = name[(cut + NoHash.Length)..];
            var head = name[..cut];
            var split = head.LastIndexOf('_');
            var (word, speaker) = split > 0 ? (head[..split], head[(split + 1)..]) : (folder, head);
            return IsWord(word) && speaker.Length > 0 && index.Length > 0 ? new Recording(relativePath, word, speaker, speaker, index) : null;
        }
        var parts = name.Split('_');
        return parts.Length == 3 && parts[0].Length == 1 && char.IsAsciiDigit(parts[0][0]) && parts[1].Length > 0 && parts[2].Length > 0
            ? new Recording(relativePath, Digits[parts[0][0] - '0'], parts[1], $"fsdd-{parts[1]}", parts[2])
            : null;
    }

    private static bool IsWord(string word) =>
        word.Length > 0 && !word.StartsWith('_') && word.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));

    /// <summary>A word or a phrase folder (<c>smart_mirror</c>): words joined by single underscores.</summary>
    private static bool IsPhrase(string folder) => folder.Split('_').All(IsWord);

    /// <summary>Letters, digits and '-' only: a speaker name that cannot break <c>SPEAKER_nohash_N</c>.</summary>
    private static string Slug(string text) =>
        string.Join('-', new string([.. text.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Split('-', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The recordings the speaker filters keep, at most <see cref="RealImportOptions.MaxPerWord"/> a word, speakers taking turns.</summary>
    private static List<Recording> Choose(IEnumerable<Recording> recordings, RealImportOptions options)
    {
        var only = options.Speakers?.ToHashSet(StringComparer.Ordinal);
        var never = options.ExcludeSpeakers?.ToHashSet(StringComparer.Ordinal) ?? [];
        var kept = recordings.Where(r => (only is null || only.Contains(r.Speaker)) && !never.Contains(r.Speaker));
        if (options.MaxPerWord == 0)
            return [.. kept];
        return [.. kept.GroupBy(r => r.Word).SelectMany(word => word
            .GroupBy(r => r.Speaker)
            .SelectMany(speaker => speaker.Select((r, turn) => (r, turn)))
            .OrderBy(x => x.turn).ThenBy(x => x.r.Speaker, StringComparer.Ordinal)
            .Take(options.MaxPerWord).Select(x => x.r))];
    }

    /// <summary>
    /// The whole seconds of a noise recording as clips (<c>_silence_/NAME_nohash_K.wav</c>, the K-th second), at most
    /// <paramref name="max"/> (0: all); the original is named with the second's media fragment (<c>NAME.wav#t=K,K+1</c>).
    /// </summary>
    private static IReadOnlyList<(string Clip, string Original, float[] Second)> Seconds(float[] samples, Recording recording, int max)
    {
        const int length = Preprocessing.ClipSamples;
        var count = samples.Length / length;
        if (max > 0) count = Math.Min(count, max);
        return [.. Enumerable.Range(0, count).Select(k => (
            $"{recording.Word}/{recording.DatasetSpeaker}{NoHash}{k}.wav",
            $"{recording.OriginalPath}#t={k},{k + 1}",
            samples[(k * length)..((k + 1) * length)]))];
    }

    /// <summary>
    /// Exactly one second: a shorter recording is centred between zeros (as the loader pads); a longer one keeps the
    /// second centred on its speech (<see cref="SpeechBounds"/>), so that trimmed or long takes keep the word whole.
    /// </summary>
    public static float[] OneSecond(float[] samples)
    {
        const int length = Preprocessing.ClipSamples;
        var clip = new float[length];
        if (samples.Length <= length)
        {
            samples.CopyTo(clip, (length - samples.Length) / 2);
            return clip;
        }
        var centre = SpeechBounds.Find(samples) is var (start, end) ? (start + end) / 2 : samples.Length / 2;
        var first = Math.Clamp(centre - length / 2, 0, samples.Length - length);
        Array.Copy(samples, first, clip, 0, length);
        return clip;
    }
}
