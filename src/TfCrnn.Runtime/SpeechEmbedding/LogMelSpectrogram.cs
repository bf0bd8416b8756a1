using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// openWakeWord's <c>melspectrogram.onnx</c> (a torchlibrosa front end), rescaled as openWakeWord rescales it, in plain
/// C#: samples × 32767, a 512-sample frame every 160 samples (no centring padding), a 400-sample periodic Hann window
/// centred in it, the power spectrum, 32 Slaney-normalised mel filters (Slaney's mel scale, 60 to 3800 Hz, librosa's
/// <c>filters.mel</c>), 10·log10 of the energy floored at 1e-10, values more than 80 dB below the loudest value of the
/// input raised to that level, then dB / 10 + 2.
/// </summary>
/// <remarks>
/// The FFT runs in double precision, two frames at once (one as the real part, one as the imaginary part). Thread-safe:
/// the scratch buffers are per thread.
/// </remarks>
internal static class LogMelSpectrogram
{
    private const double MinHz = 60;
    private const double MaxHz = 3800;
    private const double PowerFloor = 1e-10;
    private const double TopDb = 80;
    private const int Bins = FrameSamples / 2 + 1;

    private static readonly double[] Window = HannWindow();
    private static readonly MelFilter[] Filters = MelFilters();

    [ThreadStatic] private static double[]? re, im;

    /// <summary>Frames in <paramref name="samples"/> samples (no padding: a frame needs all its 512 samples).</summary>
    public static int FrameCount(int samples) => samples < FrameSamples ? 0 : (samples - FrameSamples) / HopSamples + 1;

    /// <summary>
    /// What <c>melspectrogram.onnx</c> gives for <paramref name="samples"/> (one call, so the decibel floor is 80 dB
    /// below the loudest value of all its frames), rescaled: <c>frames</c> × 32, row-major.
    /// </summary>
    /// <param name="samples">Samples in [-1, 1] at 16 kHz.</param>
    /// <param name="frames"><see cref="FrameCount"/>(samples.Length) × <see cref="MelBands"/> values.</param>
    public static void Compute(ReadOnlySpan<float> samples, Span<float> frames)
    {
        var count = FrameCount(samples.Length);
        if (frames.Length != count * MelBands)
            throw new ArgumentException($"{samples.Length} samples make {count} frames of {MelBands} bands, not {frames.Length} values", nameof(frames));
        if (count == 0) return;
        var power = re ??= new double[FrameSamples];
        var other = im ??= new double[FrameSamples];
        var loudest = double.NegativeInfinity;
        for (var f = 0; f < count; f += 2)
        {
            var pair = f + 1 < count;
            for (var n = 0; n < FrameSamples; n++)
            {
                power[n] = samples[f * HopSamples + n] * (double)InputScale * Window[n];
                other[n] = pair ? samples[(f + 1) * HopSamples + n] * (double)InputScale * Window[n] : 0;
            }
            Fourier.Transform(power, other, inverse: false);
            loudest = Math.Max(loudest, Decibels(power, other, frames.Slice(f * MelBands, MelBands), second: false));
            if (pair)
                loudest = Math.Max(loudest, Decibels(power, other, frames.Slice((f + 1) * MelBands, MelBands), second: true));
        }
        var floor = (float)(loudest - TopDb);
        for (var i = 0; i < frames.Length; i++)
            frames[i] = Math.Max(frames[i], floor) / 10f + 2f;
    }

    /// <summary>
    /// The frames of every complete block of <paramref name="samples"/>, each block computed as its own call
    /// (<see cref="SpeechEmbeddingGeometry"/>): <see cref="BlocksIn"/>(samples.Length) × 8 × 32 values.
    /// </summary>
    public static float[] ComputeBlocks(ReadOnlySpan<float> samples)
    {
        var blocks = BlocksIn(samples.Length);
        var frames = new float[blocks * BlockFrames * MelBands];
        for (var b = 0; b < blocks; b++)
            Compute(samples.Slice(b * StepSamples, BlockSamples), frames.AsSpan(b * BlockFrames * MelBands, BlockFrames * MelBands));
        return frames;
    }

    /// <summary>
    /// The decibels (before the floor) of one frame of the transform of two packed real frames: the first frame is the
    /// even part of the spectrum, the second the odd part (X = (Z[k] + conj Z[N−k]) / 2, Y = (Z[k] − conj Z[N−k]) / 2i).
    /// </summary>
    /// <returns>The loudest band.</returns>
    private static double Decibels(double[] zr, double[] zi, Span<float> bands, bool second)
    {
        Span<double> spectrum = stackalloc double[Bins];
        for (var k = 0; k < Bins; k++)
        {
            var j = (FrameSamples - k) & (FrameSamples - 1);
            double r, i;
            if (second)
            {
                r = (zi[k] + zi[j]) / 2;
                i = (zr[j] - zr[k]) / 2;
            }
            else
            {
                r = (zr[k] + zr[j]) / 2;
                i = (zi[k] - zi[j]) / 2;
            }
            spectrum[k] = r * r + i * i;
        }
        var loudest = double.NegativeInfinity;
        for (var m = 0; m < MelBands; m++)
        {
            var filter = Filters[m];
            var energy = 0.0;
            for (var k = 0; k < filter.Weights.Length; k++)
                energy += spectrum[filter.FirstBin + k] * filter.Weights[k];
            var db = 10 * Math.Log10(Math.Max(energy, PowerFloor));
            bands[m] = (float)db;
            loudest = Math.Max(loudest, db);
        }
        return loudest;
    }

    /// <summary>A periodic Hann window of <see cref="WindowSamples"/>, zero-padded to the frame on both sides.</summary>
    private static double[] HannWindow()
    {
        var window = new double[FrameSamples];
        var offset = (FrameSamples - WindowSamples) / 2;
        for (var n = 0; n < WindowSamples; n++)
            window[offset + n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / WindowSamples);
        return window;
    }

    /// <summary>One triangular filter: its first non-zero FFT bin and the weights from there.</summary>
    private sealed record MelFilter(int FirstBin, double[] Weights);

    /// <summary>librosa's <c>filters.mel(sr=16000, n_fft=512, n_mels=32, fmin=60, fmax=3800)</c> (Slaney scale and norm).</summary>
    private static MelFilter[] MelFilters()
    {
        var low = HzToMel(MinHz);
        var high = HzToMel(MaxHz);
        var edges = new double[MelBands + 2];
        for (var i = 0; i < edges.Length; i++)
            edges[i] = MelToHz(low + (high - low) * i / (MelBands + 1));
        var filters = new MelFilter[MelBands];
        for (var m = 0; m < MelBands; m++)
        {
            var norm = 2 / (edges[m + 2] - edges[m]);
            var weights = new double[Bins];
            for (var k = 0; k < Bins; k++)
            {
                var hz = k * (double)SampleRate / FrameSamples;
                var rising = (hz - edges[m]) / (edges[m + 1] - edges[m]);
                var falling = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
                weights[k] = Math.Max(0, Math.Min(rising, falling)) * norm;
            }
            var first = Array.FindIndex(weights, w => w > 0);
            var last = Array.FindLastIndex(weights, w => w > 0);
            filters[m] = new MelFilter(first, weights[first..(last + 1)]);
        }
        return filters;
    }

    // Slaney's mel scale: linear below 1 kHz (3 mels per 200 Hz), logarithmic above (27 mels per factor 6.4).
    private const double HzPerMel = 200.0 / 3;
    private const double LogBreakHz = 1000;
    private static double LogStep => Math.Log(6.4) / 27;

    private static double HzToMel(double hz) =>
        hz < LogBreakHz ? hz / HzPerMel : LogBreakHz / HzPerMel + Math.Log(hz / LogBreakHz) / LogStep;

    private static double MelToHz(double mel) =>
        mel < LogBreakHz / HzPerMel ? mel * HzPerMel : LogBreakHz * Math.Exp(LogStep * (mel - LogBreakHz / HzPerMel));
}
