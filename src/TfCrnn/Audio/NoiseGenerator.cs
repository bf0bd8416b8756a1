namespace TfCrnn.Audio;

/// <summary>The colour of a generated noise: its power spectrum falls as 1/f^0 (white), 1/f (pink) or 1/f² (brown).</summary>
internal enum NoiseColor { White, Pink, Brown }

/// <summary>
/// Stationary noise of a given colour, deterministic for a seed and scaled to an RMS of 1 (full scale = 1), so that
/// callers set its level with one gain (<see cref="Mixing.AddAtSnr"/>).
/// </summary>
internal static class NoiseGenerator
{
    /// <summary><paramref name="length"/> samples of <paramref name="color"/> noise with an RMS of 1.</summary>
    public static float[] Generate(NoiseColor color, int length, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentNullException.ThrowIfNull(random);
        var noise = new float[length];
        switch (color)
        {
            case NoiseColor.White:
                for (var i = 0; i < length; i++) noise[i] = (float)Gaussian(random);
                break;
            case NoiseColor.Pink:
                // Paul Kellet's filter bank: white noise through seven one-pole filters sums to within ±0.05 dB of 1/f
                // above 9 Hz at 44.1 kHz (and proportionally lower at 16 kHz).
                double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
                for (var i = 0; i < length; i++)
                {
                    var white = Gaussian(random);
                    b0 = 0.99886 * b0 + white * 0.0555179;
                    b1 = 0.99332 * b1 + white * 0.0750759;
                    b2 = 0.96900 * b2 + white * 0.1538520;
                    b3 = 0.86650 * b3 + white * 0.3104856;
                    b4 = 0.55000 * b4 + white * 0.5329522;
                    b5 = -0.7616 * b5 - white * 0.0168980;
                    noise[i] = (float)(b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362);
                    b6 = white * 0.115926;
                }
                break;
            case NoiseColor.Brown:
                // Integrated white noise; the slight leak keeps it from drifting away over long signals.
                double level = 0;
                for (var i = 0; i < length; i++)
                {
                    level = 0.998 * level + Gaussian(random);
                    noise[i] = (float)level;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(color), color, "unknown noise colour");
        }
        RemoveMean(noise);
        Mixing.Scale(noise, 1 / Math.Max(Mixing.Rms(noise), 1e-12));
        return noise;
    }

    /// <summary>A standard normal sample (Box–Muller).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void RemoveMean(float[] samples)
    {
        if (samples.Length == 0) return;
        double sum = 0;
        foreach (var s in samples) sum += s;
        var mean = (float)(sum / samples.Length);
        for (var i = 0; i < samples.Length; i++) samples[i] -= mean;
    }
}
