namespace TfCrnn.Data.Augmentation;

/// <summary>
/// Band-limiting like a telephone or a cheap microphone: a high-pass and a low-pass, each two cascaded Butterworth
/// biquads (RBJ cookbook, Q = 1/√2), 24 dB per octave beyond the corners.
/// </summary>
internal static class BandLimit
{
    /// <summary>Keeps <paramref name="lowHz"/>..<paramref name="highHz"/> (a corner at or above Nyquist is skipped).</summary>
    public static void Apply(Span<float> clip, double lowHz, double highHz, int sampleRate = SpeechCommandsDataset.SampleRate)
    {
        if (lowHz > 0)
            for (var pass = 0; pass < 2; pass++)
                Filter(clip, Design(lowHz, sampleRate, highPass: true));
        if (highHz < sampleRate / 2.0)
            for (var pass = 0; pass < 2; pass++)
                Filter(clip, Design(highHz, sampleRate, highPass: false));
    }

    private readonly record struct Biquad(double B0, double B1, double B2, double A1, double A2);

    private static Biquad Design(double corner, int sampleRate, bool highPass)
    {
        var w = 2 * Math.PI * corner / sampleRate;
        var (cos, alpha) = (Math.Cos(w), Math.Sin(w) / (2 * Math.Sqrt(0.5)));
        var a0 = 1 + alpha;
        var (b0, b1) = highPass ? ((1 + cos) / 2, -(1 + cos)) : ((1 - cos) / 2, 1 - cos);
        return new Biquad(b0 / a0, b1 / a0, b0 / a0, -2 * cos / a0, (1 - alpha) / a0);
    }

    /// <summary>Direct form I, in place, from rest.</summary>
    private static void Filter(Span<float> clip, Biquad f)
    {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (var i = 0; i < clip.Length; i++)
        {
            double x = clip[i];
            var y = f.B0 * x + f.B1 * x1 + f.B2 * x2 - f.A1 * y1 - f.A2 * y2;
            (x2, x1, y2, y1) = (x1, x, y1, y);
            clip[i] = (float)y;
        }
    }
}
