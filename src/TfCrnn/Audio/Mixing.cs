namespace TfCrnn.Audio;

/// <summary>Levels and mixes of mono signals (samples in [-1, 1] full scale).</summary>
internal static class Mixing
{
    /// <summary>Root mean square of <paramref name="samples"/> (0 for an empty signal).</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty) return 0;
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Multiplies every sample by <paramref name="gain"/> in place.</summary>
    public static void Scale(Span<float> samples, double gain)
    {
        var g = (float)gain;
        for (var i = 0; i < samples.Length; i++) samples[i] *= g;
    }

    /// <summary>Decibels to an amplitude ratio: 10^(dB / 20).</summary>
    public static double DecibelsToGain(double decibels) => Math.Pow(10, decibels / 20);

    /// <summary>
    /// Adds <paramref name="noise"/> (at least as long as <paramref name="signal"/>; its first samples are used) to
    /// <paramref name="signal"/> in place, scaled so that the signal-to-noise ratio is <paramref name="snrDb"/>:
    /// 20·log10(rms(signal) / rms(scaled noise)). The RMS of the signal is taken over <paramref name="signalRms"/>
    /// when given (for example over the speech only), else over the whole signal. Nothing is added to a silent
    /// signal or from a silent noise.
    /// </summary>
    /// <returns>The gain applied to the noise.</returns>
    public static double AddAtSnr(Span<float> signal, ReadOnlySpan<float> noise, double snrDb, double? signalRms = null)
    {
        if (noise.Length < signal.Length)
            throw new ArgumentException($"noise of {noise.Length} samples is shorter than the signal ({signal.Length})", nameof(noise));
        var reference = signalRms ?? Rms(signal);
        var noiseRms = Rms(noise[..signal.Length]);
        if (reference <= 0 || noiseRms <= 0) return 0;
        var gain = reference / noiseRms / DecibelsToGain(snrDb);
        var g = (float)gain;
        for (var i = 0; i < signal.Length; i++) signal[i] += g * noise[i];
        return gain;
    }
}
