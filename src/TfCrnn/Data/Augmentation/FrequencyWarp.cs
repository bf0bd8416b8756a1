using TfCrnn.Runtime;

namespace TfCrnn.Data.Augmentation;

/// <summary>
/// Vocal-tract length perturbation on the waveform: the spectral envelope's frequency axis is scaled by a warp
/// factor α up to a boundary and then bent linearly to keep the Nyquist frequency in place (the warp of Jaitly &amp;
/// Hinton 2013, as in Kaldi), as a shorter (α &gt; 1) or longer vocal tract would move the formants, while the
/// harmonics (the pitch) stay where they are. Each 32 ms frame's magnitude spectrum is smoothed across frequency
/// into an envelope; every bin is scaled by envelope(warped frequency) / envelope(frequency), phases untouched,
/// and overlap-add puts the clip back together.
/// </summary>
internal static class FrequencyWarp
{
    private const int FrameSize = 512;
    private const int Hop = FrameSize / 2;
    private const int Bins = FrameSize / 2 + 1;

    /// <summary>Envelope smoothing: ±8 bins (±250 Hz at 16 kHz), wider than the spacing of a voice's harmonics.</summary>
    private const int SmoothingBins = 8;

    /// <summary>Per-bin gains are kept within ±20 dB, so that spectral valleys are not blown up.</summary>
    private const double MaxGain = 10;

    /// <summary>Where the straight part of the warp ends, in Hz (Kaldi's VTLP upper cutoff for 16 kHz).</summary>
    private const double Boundary = 4800;

    // √Hann: analysis and synthesis windows whose product sums to 1 at half overlap.
    private static readonly double[] Window = Enumerable.Range(0, FrameSize)
        .Select(j => Math.Sqrt(0.5 - 0.5 * Math.Cos(2 * Math.PI * j / FrameSize))).ToArray();

    /// <summary>Warps the clip's spectral envelope by <paramref name="alpha"/> (1: unchanged up to rounding).</summary>
    public static void Apply(Span<float> clip, double alpha, int sampleRate = SpeechCommandsDataset.SampleRate)
    {
        var (sourceBin, weight) = WarpTable(alpha, sampleRate);
        var n = clip.Length;
        var output = new double[n];
        Span<double> re = stackalloc double[FrameSize];
        Span<double> im = stackalloc double[FrameSize];
        Span<double> gainA = stackalloc double[Bins];
        Span<double> gainB = stackalloc double[Bins];
        Span<double> scratch = stackalloc double[3 * Bins];
        // Two real frames per complex transform: frame a in the real part, frame b (a hop later) in the imaginary part.
        for (var start = -Hop; start < n; start += 2 * Hop)
        {
            for (var j = 0; j < FrameSize; j++)
            {
                var (ta, tb) = (start + j, start + Hop + j);
                re[j] = ta >= 0 && ta < n ? clip[ta] * Window[j] : 0;
                im[j] = tb >= 0 && tb < n ? clip[tb] * Window[j] : 0;
            }
            Fourier.Transform(re, im, inverse: false);
            // A[k] = (Z[k] + conj Z[N−k]) / 2, B[k] = (Z[k] − conj Z[N−k]) / 2i: their magnitudes give the two envelopes.
            for (var k = 0; k < Bins; k++)
            {
                var m = (FrameSize - k) & (FrameSize - 1);
                scratch[k] = Math.Sqrt(Square(re[k] + re[m]) + Square(im[k] - im[m])) / 2;
                scratch[Bins + k] = Math.Sqrt(Square(im[k] + im[m]) + Square(re[m] - re[k])) / 2;
            }
            Gains(scratch[..Bins], scratch[(2 * Bins)..], sourceBin, weight, gainA);
            Gains(scratch[Bins..(2 * Bins)], scratch[(2 * Bins)..], sourceBin, weight, gainB);
            // Scaling A by a real, symmetric gain and B by another: Z'[k] = gA·A[k] + i·gB·B[k], written back in place.
            for (var k = 0; k < Bins; k++)
            {
                var m = (FrameSize - k) & (FrameSize - 1);
                var (ar, ai) = ((re[k] + re[m]) / 2, (im[k] - im[m]) / 2);
                var (br, bi) = ((im[k] + im[m]) / 2, (re[m] - re[k]) / 2);
                var (ga, gb) = (gainA[k], gainB[k]);
                // Z'[k] = gA·A + i·gB·B; Z'[N−k] = gA·conj(A) + i·gB·conj(B).
                re[k] = ga * ar - gb * bi;
                im[k] = ga * ai + gb * br;
                re[m] = ga * ar + gb * bi;
                im[m] = -ga * ai + gb * br;
            }
            Fourier.Transform(re, im, inverse: true);
            for (var j = 0; j < FrameSize; j++)
            {
                var (ta, tb) = (start + j, start + Hop + j);
                if (ta >= 0 && ta < n) output[ta] += re[j] / FrameSize * Window[j];
                if (tb >= 0 && tb < n) output[tb] += im[j] / FrameSize * Window[j];
            }
        }
        for (var t = 0; t < n; t++)
            clip[t] = (float)output[t];
    }

    private static double Square(double x) => x * x;

    /// <summary>envelope(source frequency of k) / envelope(k) for every bin, the envelope a moving average of the magnitudes.</summary>
    private static void Gains(ReadOnlySpan<double> magnitude, Span<double> envelope, int[] sourceBin, double[] weight, Span<double> gains)
    {
        double sum = 0;
        for (var k = 0; k <= Math.Min(SmoothingBins, Bins - 1); k++) sum += magnitude[k];
        var count = Math.Min(SmoothingBins, Bins - 1) + 1;
        for (var k = 0; k < Bins; k++)
        {
            envelope[k] = sum / count;
            var (enter, leave) = (k + SmoothingBins + 1, k - SmoothingBins);
            if (enter < Bins) { sum += magnitude[enter]; count++; }
            if (leave >= 0) { sum -= magnitude[leave]; count--; }
        }
        for (var k = 0; k < Bins; k++)
        {
            var low = sourceBin[k];
            var high = Math.Min(low + 1, Bins - 1);
            var target = envelope[low] + weight[k] * (envelope[high] - envelope[low]);
            gains[k] = envelope[k] > 1e-12 ? Math.Clamp(target / envelope[k], 1 / MaxGain, MaxGain) : 1;
        }
    }

    /// <summary>For each output bin, the source bin below the unwarped frequency and the interpolation weight towards the next.</summary>
    private static (int[] SourceBin, double[] Weight) WarpTable(double alpha, int sampleRate)
    {
        var nyquist = sampleRate / 2.0;
        var boundaryOut = Boundary * Math.Min(alpha, 1);
        var boundaryIn = boundaryOut / alpha;
        var sourceBin = new int[Bins];
        var weight = new double[Bins];
        for (var k = 0; k < Bins; k++)
        {
            var f = k * nyquist / (Bins - 1);
            var source = f <= boundaryOut
                ? f / alpha
                : nyquist - (nyquist - boundaryIn) / (nyquist - boundaryOut) * (nyquist - f);
            var bin = Math.Clamp(source / nyquist * (Bins - 1), 0, Bins - 1);
            sourceBin[k] = (int)bin;
            weight[k] = bin - (int)bin;
        }
        return (sourceBin, weight);
    }
}
