namespace TfCrnn.Synthesis;

/// <summary>Speaks text with a voice configuration and a delivery, and returns the speech alone (silence trimmed) at 16 kHz.</summary>
internal sealed class EspeakSpeaker(string espeak)
{
    // Samples below this fraction of the utterance's peak count as silence when trimming.
    private const float SilenceFraction = 0.02f;

    // Loud voices (high amplitude settings) are scaled down to this peak rather than clipped.
    private const float MaxPeak = 0.9f;

    public string Executable { get; } = espeak;

    /// <summary>
    /// The trimmed speech; when it is longer than <paramref name="maxSamples"/> it is spoken again faster
    /// (at most <see cref="Delivery.MaxSpeed"/>) so that it fits, and may still be longer when even that fails.
    /// </summary>
    public async Task<float[]> SayAsync(VoiceConfiguration voice, Delivery delivery, string text, int maxSamples, CancellationToken cancellationToken)
    {
        var speech = await SayOnceAsync(voice, delivery, text, cancellationToken);
        if (speech.Length <= maxSamples || delivery.Speed >= Delivery.MaxSpeed)
            return speech;
        // Speech time scales about inversely with speed; aim a little short of the limit.
        var faster = (int)Math.Ceiling(delivery.Speed * speech.Length / (0.95 * maxSamples));
        return await SayOnceAsync(voice, delivery with { Speed = Math.Min(faster, Delivery.MaxSpeed) }, text, cancellationToken);
    }

    private async Task<float[]> SayOnceAsync(VoiceConfiguration voice, Delivery delivery, string text, CancellationToken cancellationToken) =>
        Trim(await EspeakNg.SpeakAsync(Executable, delivery.EspeakArguments(voice, text), $"espeak-ng output for '{text}' ({voice.Name})", cancellationToken));

    /// <summary>The speech without the leading and trailing silence espeak-ng adds, its peak limited to <see cref="MaxPeak"/>.</summary>
    internal static float[] Trim(float[] speech)
    {
        var peak = 0f;
        foreach (var sample in speech)
            peak = Math.Max(peak, Math.Abs(sample));
        var threshold = peak * SilenceFraction;
        var first = Array.FindIndex(speech, s => Math.Abs(s) > threshold);
        var last = Array.FindLastIndex(speech, s => Math.Abs(s) > threshold);
        if (first < 0)
            return [];
        var trimmed = speech[first..(last + 1)];
        if (peak > MaxPeak)
            for (var i = 0; i < trimmed.Length; i++)
                trimmed[i] *= MaxPeak / peak;
        return trimmed;
    }
}
