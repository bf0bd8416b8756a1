namespace TfCrnn.Data.Augmentation;

/// <summary>The level of the speech in a clip, ignoring its silence, so that an SNR means the same for short and long words.</summary>
internal static class SpeechLevel
{
    /// <summary>10 ms at 16 kHz.</summary>
    private const int Frame = 160;

    /// <summary>Frames more than 30 dB below the loudest one count as silence.</summary>
    private const double SilenceRatio = 1e-3;

    /// <summary>RMS over the 10 ms frames within 30 dB of the loudest frame (0 for a silent clip).</summary>
    public static double ActiveRms(ReadOnlySpan<float> clip) => Measure(clip).Rms;

    /// <summary>
    /// The active frames (within 30 dB of the loudest) in one pass: their RMS, and where the speech lies, from the first
    /// to the end of the last of them, in samples; (0, 0, 0) for a silent clip.
    /// </summary>
    public static (double Rms, int Start, int End) Measure(ReadOnlySpan<float> clip)
    {
        var frames = (clip.Length + Frame - 1) / Frame;
        Span<double> energy = frames <= 256 ? stackalloc double[frames] : new double[frames];
        var loudest = 0.0;
        for (var f = 0; f < frames; f++)
        {
            var frame = clip.Slice(f * Frame, Math.Min(Frame, clip.Length - f * Frame));
            double sum = 0;
            foreach (var s in frame) sum += (double)s * s;
            energy[f] = sum / frame.Length;
            loudest = Math.Max(loudest, energy[f]);
        }
        if (loudest <= 0) return (0, 0, 0);
        double active = 0;
        int count = 0, first = -1, last = -1;
        for (var f = 0; f < frames; f++)
            if (energy[f] >= loudest * SilenceRatio)
            {
                active += energy[f];
                count++;
                if (first < 0) first = f;
                last = f;
            }
        return (Math.Sqrt(active / count), first * Frame, Math.Min(clip.Length, (last + 1) * Frame));
    }
}
