namespace TfCrnn.Synthesis;

/// <summary>
/// Where the speech is inside a recorded clip, by an energy rule: 10 ms frames whose RMS level is above a
/// threshold, the first to the last of them. The threshold is 30 dB below the loudest frame, but at least
/// halfway (in dB) between the noise floor (the 10th-percentile frame) and the loudest frame, so that a noisy
/// recording's floor does not count as speech.
/// </summary>
internal static class SpeechBounds
{
    /// <summary>Frame length and hop: 10 ms at 16 kHz.</summary>
    public const int FrameSamples = 160;

    private const double BelowPeakDb = 30;

    /// <summary>The speech as [start, end) in samples, or null for a silent clip (no frame above -80 dBFS).</summary>
    public static (int Start, int End)? Find(ReadOnlySpan<float> samples)
    {
        var frames = samples.Length / FrameSamples;
        if (frames == 0)
            return null;
        var levels = new double[frames];
        for (var f = 0; f < frames; f++)
        {
            var frame = samples.Slice(f * FrameSamples, FrameSamples);
            double sum = 0;
            foreach (var s in frame) sum += (double)s * s;
            levels[f] = 10 * Math.Log10(sum / FrameSamples + 1e-12);
        }
        var peak = levels.Max();
        if (peak < -80)
            return null;
        var sorted = levels.Order().ToArray();
        var floor = sorted[frames / 10];
        var threshold = Math.Max(peak - BelowPeakDb, floor + (peak - floor) / 2);
        var first = Array.FindIndex(levels, l => l >= threshold);
        var last = Array.FindLastIndex(levels, l => l >= threshold);
        return (first * FrameSamples, Math.Min(samples.Length, (last + 1) * FrameSamples));
    }
}
