using System.Buffers;
using TfCrnn.Audio;
using TfCrnn.Runtime;

namespace TfCrnn.Data.Augmentation;

/// <summary>
/// Room reverberation from synthetic impulse responses: the direct sound, a few early reflections, and a late tail
/// of noise whose energy decays by 60 dB in RT60 seconds, at a random direct-to-reverberant ratio.
/// </summary>
internal static class Reverberation
{
    /// <summary>60 dB of energy decay: ln(10^6).</summary>
    private const double SixtyDecibels = 13.815510557964274;

    /// <summary>An impulse response of length RT60 (at most <paramref name="maxLength"/>), direct sound at sample 0 with amplitude 1.</summary>
    public static float[] ImpulseResponse(double rt60, Random random, int sampleRate = SpeechCommandsDataset.SampleRate,
        int maxLength = Preprocessing.ClipSamples)
    {
        var length = Math.Clamp((int)Math.Ceiling(rt60 * sampleRate), 2, maxLength);
        var response = new float[length];
        // Amplitude envelope: energy falls by 60 dB over RT60.
        double Envelope(int n) => Math.Exp(-SixtyDecibels / 2 * n / (rt60 * sampleRate));

        // The tail: uniform noise of unit variance (cheaper than Gaussian, and as dense) under the envelope, computed
        // by recursion, with a 5 ms onset ramp so that it builds up after the direct sound.
        var tail = new double[length];
        var tailEnergy = 0.0;
        var onset = Math.Min(length - 1, (int)(0.005 * sampleRate));
        var decay = Envelope(1);
        var envelope = Envelope(onset);
        var ramp = 0.005 * sampleRate;
        for (var n = onset; n < length; n++, envelope *= decay)
        {
            tail[n] = (2 * random.NextDouble() - 1) * Math.Sqrt(3) * envelope * Math.Min(1, (n - onset + 1) / ramp);
            tailEnergy += tail[n] * tail[n];
        }
        // Direct-to-reverberant ratio between −3 dB (far from the talker) and +12 dB (close).
        var directToReverberant = -3 + 15 * random.NextDouble();
        var tailGain = tailEnergy > 0 ? Math.Sqrt(Math.Pow(10, -directToReverberant / 10) / tailEnergy) : 0;
        for (var n = 0; n < length; n++)
            response[n] = (float)(tail[n] * tailGain);
        response[0] = 1;
        var reflections = 3 + random.Next(6);
        for (var r = 0; r < reflections; r++)
        {
            var delay = (int)((0.002 + 0.038 * random.NextDouble()) * sampleRate);
            if (delay >= length) continue;
            var amplitude = (0.2 + 0.5 * random.NextDouble()) * Envelope(delay) * (random.Next(2) == 0 ? -1 : 1);
            response[delay] += (float)amplitude;
        }
        return response;
    }

    /// <summary>
    /// Convolves <paramref name="clip"/> with <paramref name="response"/> in place (the first clip.Length samples of
    /// the full convolution) and restores the clip's RMS.
    /// </summary>
    public static void Apply(Span<float> clip, ReadOnlySpan<float> response)
    {
        var before = Mixing.Rms(clip);
        if (before <= 0) return;
        var size = Fourier.Size(clip.Length + response.Length - 1);
        // Pooled: four 32k buffers per clip would otherwise land on the large-object heap every time.
        var buffers = Enumerable.Range(0, 4).Select(_ => ArrayPool<double>.Shared.Rent(size)).ToArray();
        try
        {
            var re = buffers[0].AsSpan(0, size);
            var im = buffers[1].AsSpan(0, size);
            var yRe = buffers[2].AsSpan(0, size);
            var yIm = buffers[3].AsSpan(0, size);
            re.Clear();
            im.Clear();
            // Both real inputs in one complex transform: x in the real part, h in the imaginary part.
            for (var i = 0; i < clip.Length; i++) re[i] = clip[i];
            for (var i = 0; i < response.Length; i++) im[i] = response[i];
            Fourier.Transform(re, im, inverse: false);
            // X[k] = (Z[k] + conj Z[N−k]) / 2, H[k] = (Z[k] − conj Z[N−k]) / 2i; Y = X·H, Hermitian.
            for (var k = 0; k < size; k++)
            {
                var m = (size - k) & (size - 1);
                var xr = (re[k] + re[m]) / 2;
                var xi = (im[k] - im[m]) / 2;
                var hr = (im[k] + im[m]) / 2;
                var hi = (re[m] - re[k]) / 2;
                yRe[k] = xr * hr - xi * hi;
                yIm[k] = xr * hi + xi * hr;
            }
            Fourier.Transform(yRe, yIm, inverse: true);
            for (var i = 0; i < clip.Length; i++) clip[i] = (float)(yRe[i] / size);
        }
        finally
        {
            foreach (var buffer in buffers) ArrayPool<double>.Shared.Return(buffer);
        }
        var after = Mixing.Rms(clip);
        if (after > 0) Mixing.Scale(clip, before / after);
    }
}
