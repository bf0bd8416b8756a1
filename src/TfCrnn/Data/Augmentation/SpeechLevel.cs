namespace TfCrnn.Data.Augmentation;

/// <summary>The level of the speech in a clip, ignoring its silence, so that an SNR means the same for short and long words.</summary>
internal static class SpeechLevel
{
    /// <summary>10 ms at 16 kHz.</summary>
    private const int Frame = 160;

    /// <summary>Frames more than 30 dB below the loudest one count as silence.</summary>
    private const double SilenceRatio = 1e-3;

    /// <summary>RMS over the 10 ms frames within 30 dB of the loudest frame (0 for a silent clip).</summary>
    public static double ActiveRms(ReadOnlySpan<float> clip)
    {
        var energy = FrameEnergies(clip, out var loudest);
        if (loudest <= 0) return 0;
        double active = 0;
        var count = 0;
        foreach (var e in energy)
            if (e >= loudest * SilenceRatio)
            {
                active += e;
                count++;
            }
        return Math.Sqrt(active / count);
    }

    /// <summary>
    /// Where the speech lies: from the first to the end of the last 10 ms frame within 30 dB of the loudest, in samples;
    /// (0, 0) for a silent clip.
    /// </summary>
    public static (int Start, int End) ActiveBounds(ReadOnlySpan<float> clip)
    {
        var energy = FrameEnergies(clip, out var loudest);
        if (loudest <= 0) return (0, 0);
        var first = Array.FindIndex(energy, e => e >= loudest * SilenceRatio);
        var last = Array.FindLastIndex(energy, e => e >= loudest * SilenceRatio);
        return (first * Frame, Math.Min(clip.Length, (last + 1) * Frame));
    }

    /// <summary>Mean square of each 10 ms frame (the last may be shorter), and the largest.</summary>
    private static double[] FrameEnergies(ReadOnlySpan<float> clip, out double loudest)
    {
        var frames = (clip.Length + Frame - 1) / Frame;
        var energy = new double[frames];
        loudest = 0.0;
        for (var f = 0; f < frames; f++)
        {
            var frame = clip.Slice(f * Frame, Math.Min(Frame, clip.Length - f * Frame));
            double sum = 0;
            foreach (var s in frame) sum += (double)s * s;
            energy[f] = sum / frame.Length;
            loudest = Math.Max(loudest, energy[f]);
        }
        return energy;
    }
}
