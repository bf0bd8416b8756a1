using System.Collections.Concurrent;
using TfCrnn.Audio;
using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// Speaks text with a voice configuration and a delivery and returns the speech alone (silence trimmed) at 16 kHz,
/// scaled to the delivery's peak level: espeak-ng's and MBROLA's voices through espeak-ng, the other engines' through
/// theirs (<see cref="EngineVoice"/>). Accented voices get the English phonemes, mapped (<see cref="Accent"/>);
/// transcriptions are asked of espeak-ng once per text and kept.
/// </summary>
internal sealed class VoiceSpeaker(string espeak)
{
    // Samples below this fraction of the utterance's peak count as silence when trimming.
    private const float SilenceFraction = 0.02f;

    private readonly ConcurrentDictionary<(string Dialect, string Text), Task<string[][]>> transcriptions = new();
    private readonly ConcurrentDictionary<string, Task<Dictionary<string, HashSet<string>>>> vocabularySounds = new();
    private readonly ConcurrentDictionary<string, Task> prefetched = new();

    public string Executable { get; } = espeak;

    /// <summary>
    /// The trimmed speech; when it is longer than <paramref name="maxSamples"/> it is spoken again faster
    /// (at most <see cref="Delivery.MaxSpeed"/>) so that it fits, and may still be longer when even that fails.
    /// </summary>
    public async Task<float[]> SayAsync(VoiceConfiguration voice, Delivery delivery, string text, int maxSamples, CancellationToken cancellationToken)
    {
        var phonemes = VoiceCatalog.AccentOf(voice.Voice) is { } accent ? await AccentedAsync(accent, text, cancellationToken) : null;
        var speech = await SayOnceAsync(voice, delivery, text, phonemes, cancellationToken);
        if (speech.Length > maxSamples && delivery.Speed < Delivery.MaxSpeed)
        {
            // Speech time scales about inversely with speed; aim a little short of the limit.
            var faster = (int)Math.Ceiling(delivery.Speed * speech.Length / (0.95 * maxSamples));
            speech = await SayOnceAsync(voice, delivery with { Speed = Math.Min(faster, Delivery.MaxSpeed) }, text, phonemes, cancellationToken);
        }
        var peak = Peak(speech);
        if (peak > 0)
            Mixing.Scale(speech, Mixing.DecibelsToGain(delivery.PeakDb) / peak);
        return speech;
    }

    private async Task<float[]> SayOnceAsync(VoiceConfiguration voice, Delivery delivery, string text, string? phonemes, CancellationToken cancellationToken) =>
        Trim(VoiceCatalog.EngineOf(voice.Voice) is { } engine
            ? await engine.SpeakAsync(voice.Variant, delivery, text, cancellationToken)
            : await EspeakNg.SpeakAsync(Executable, delivery.EspeakArguments(voice, text, phonemes), $"espeak-ng output for '{text}' ({voice.Name})", cancellationToken));

    /// <summary>
    /// The phoneme input that says <paramref name="text"/> with <paramref name="accent"/>: its words mapped with the
    /// accent's transfer, except where that sound is how the accent says another word of the vocabulary (a command or
    /// a non-keyword, with or without transfer): Italian "three" would become "tree" and German "up" "app", so those
    /// words keep the English phonemes (in the accent's inventory).
    /// </summary>
    public async Task<string> AccentedAsync(Accent accent, string text, CancellationToken cancellationToken)
    {
        var words = await TranscribeAsync(accent.Dialect, text, cancellationToken);
        var sounds = await VocabularySoundsAsync(accent, cancellationToken);
        return string.Join(" ", words.Select(word =>
        {
            var mapped = accent.Map(word, transfer: true);
            var another = sounds.TryGetValue(mapped, out var alike) && alike.Any(w => w != text);
            return another ? accent.Map(word, transfer: false) : mapped;
        }));
    }

    /// <summary>How <paramref name="accent"/> says each single word of the vocabulary (the commands and the non-keywords), with and without its transfer: sound → words.</summary>
    private Task<Dictionary<string, HashSet<string>>> VocabularySoundsAsync(Accent accent, CancellationToken cancellationToken) =>
        vocabularySounds.GetOrAdd(accent.Voice, async _ =>
        {
            var vocabulary = Labels.All.Concat(Vocabulary.NonKeywords.Where(e => !e.Contains(' ', StringComparison.Ordinal))).ToList();
            await prefetched.GetOrAdd(accent.Dialect, dialect => PrefetchAsync(dialect, vocabulary, cancellationToken));
            var sounds = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var entry in vocabulary)
                foreach (var word in await TranscribeAsync(accent.Dialect, entry, cancellationToken))
                    foreach (var sound in new[] { accent.Map(word, transfer: true), accent.Map(word, transfer: false) })
                    {
                        if (!sounds.TryGetValue(sound, out var alike))
                            sounds[sound] = alike = new HashSet<string>(StringComparer.Ordinal);
                        alike.Add(entry);
                    }
            return sounds;
        });

    /// <summary>
    /// Transcribes single words in one espeak-ng call, one line each (<c>-l</c> makes every short line a clause of its
    /// own, transcribed as the word alone is), and keeps the results; does nothing when the lines do not match the
    /// words one to one.
    /// </summary>
    private async Task PrefetchAsync(string dialect, IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var output = await EspeakNg.TextAsync(Executable, ["-v", dialect, "-q", "-x", "--sep=_", "-l", "100", string.Join("\n", words)], cancellationToken);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Words).ToList();
        if (lines.Count != words.Count || lines.Any(l => l.Length != 1))
            return;
        for (var i = 0; i < words.Count; i++)
            transcriptions.TryAdd((dialect, words[i]), Task.FromResult(lines[i]));
    }

    /// <summary>espeak-ng's phonemes of <paramref name="text"/> in <paramref name="dialect"/>: per word, its phoneme tokens (pauses left out).</summary>
    public Task<string[][]> TranscribeAsync(string dialect, string text, CancellationToken cancellationToken) =>
        transcriptions.GetOrAdd((dialect, text), async key =>
            Words(await EspeakNg.TextAsync(Executable, ["-v", key.Dialect, "-q", "-x", "--sep=_", key.Text], cancellationToken)));

    private static string[][] Words(string transcription) =>
        transcription.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Split('_', StringSplitOptions.RemoveEmptyEntries).Where(p => p is not (":" or ";")).ToArray())
            .Where(word => word.Length > 0)
            .ToArray();

    /// <summary>The speech without the leading and trailing silence the synthesisers add.</summary>
    internal static float[] Trim(float[] speech)
    {
        var threshold = Peak(speech) * SilenceFraction;
        var first = Array.FindIndex(speech, s => Math.Abs(s) > threshold);
        var last = Array.FindLastIndex(speech, s => Math.Abs(s) > threshold);
        return first < 0 ? [] : speech[first..(last + 1)];
    }

    private static float Peak(float[] samples)
    {
        var peak = 0f;
        foreach (var sample in samples)
            peak = Math.Max(peak, Math.Abs(sample));
        return peak;
    }
}
