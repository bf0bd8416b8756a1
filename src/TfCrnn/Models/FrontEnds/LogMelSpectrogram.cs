using TfCrnn.Data;
using TfCrnn.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models.FrontEnds;

/// <summary>
/// A log-mel spectrogram standardised per clip, as the AttnCRNN authors compute theirs (de Andrade et al. 2018; the
/// TensorFlow front end of github.com/douglas125/SpeechCmdRecognition, <c>audioUtils.normalized_mel_spectrogram</c>):
/// <list type="number">
/// <item>magnitude STFT with a periodic Hann window, one frame every <c>hop</c> samples from the first sample and the end
/// zero-padded to fill the last one (<c>tf.signal.stft(pad_end=True)</c>): ceil(samples / hop) frames, no centring;</item>
/// <item>triangular mel filters on the HTK scale (mel = 1127 ln(1 + f / 700)), unnormalised, equally spaced in mel
/// between the lowest and highest frequency, over the bins above DC (<c>tf.signal.linear_to_mel_weight_matrix</c>);</item>
/// <item>ln(mel + 1e-6);</item>
/// <item>minus the mean, divided by the (population) standard deviation, both over every frame and band of the clip.</item>
/// </list>
/// (batch, 1, samples) → (batch, mels, frames).
/// </summary>
/// <remarks>
/// The authors' TensorFlow code takes the mean and deviation over the whole batch (<c>reduce_mean</c> without an
/// axis), so a clip's features depend on its batch mates; their 2018 code (kapre's <c>Normalization2D</c>, per
/// sample) and their batch-of-one inference take them per clip, as here. The deviation is floored at 1e-6 so that a
/// silent clip gives zeros rather than NaN. The input is tfcrnn's (samples × <see cref="Preprocessing.InputScale"/>),
/// brought back to [-1, 1] first, so that the 1e-6 inside the logarithm weighs what it weighs in the authors' code.
/// </remarks>
internal sealed class LogMelSpectrogram : nn.Module<Tensor, Tensor>
{
    /// <summary>Added to the mel energies before the logarithm (the authors' 1e-6).</summary>
    internal const double LogOffset = 1e-6;

    /// <summary>The floor of a clip's standard deviation.</summary>
    internal const double MinimumDeviation = 1e-6;

    // Constants, not state (neither learned nor saved): made on the input's device and in its type at each call
    // (ConstantTensor).
    private readonly float[] window;
    private readonly float[] melWeights;

    /// <param name="fftSize">STFT frame and FFT length (the authors' 1,024).</param>
    /// <param name="hop">Samples between frames (128).</param>
    /// <param name="mels">Mel bands (80).</param>
    /// <param name="minHz">Lower edge of the lowest band (40 Hz).</param>
    /// <param name="maxHz">Upper edge of the highest band (8,000 Hz).</param>
    public LogMelSpectrogram(int sampleRate = 16_000, int fftSize = 1024, int hop = 128, int mels = 80,
        double minHz = 40, double maxHz = 8000) : base(nameof(LogMelSpectrogram))
    {
        FftSize = fftSize;
        Hop = hop;
        Mels = mels;
        using (var hann = hann_window(fftSize, periodic: true, dtype: ScalarType.Float32))
            window = hann.data<float>().ToArray();
        melWeights = MelWeights(sampleRate, fftSize / 2 + 1, mels, minHz, maxHz);
    }

    public int FftSize { get; }
    public int Hop { get; }
    public int Mels { get; }

    /// <summary>The mel weights, (FFT bins, mels): <c>tf.signal.linear_to_mel_weight_matrix</c>.</summary>
    internal Tensor MelWeightMatrix => tensor(melWeights, [FftSize / 2 + 1, Mels]);

    /// <summary>Frames of a clip of <paramref name="samples"/>: ceil(samples / hop).</summary>
    public long Frames(long samples) => (samples + Hop - 1) / Hop;

    /// <summary>Samples after the end padding: the last frame's start plus the FFT size.</summary>
    internal long PaddedSamples(long samples) => (Frames(samples) - 1) * Hop + FftSize;

    /// <param name="input">(batch, 1, samples), scaled by <see cref="Preprocessing.InputScale"/>.</param>
    /// <returns>(batch, mels, frames).</returns>
    public override Tensor forward(Tensor input)
    {
        var samples = input.shape[^1];
        using var unscale = (1.0 / Preprocessing.InputScale).ToScalar();
        using var waveform = input.reshape(input.shape[0], samples).mul(unscale);
        using var padded = nn.functional.pad(waveform, [0, PaddedSamples(samples) - samples]);
        using var deviceWindow = ConstantTensor.Of(window, [window.Length], input.dtype, input.device);
        using var spectrum = padded.stft(FftSize, Hop, FftSize, deviceWindow, center: false, return_complex: true);
        using var magnitude = spectrum.abs(); // (batch, bins, frames)
        using var weights = ConstantTensor.Of(melWeights, [FftSize / 2 + 1, Mels], input.dtype, input.device);
        using var weightsByBand = weights.t();
        var mel = weightsByBand.matmul(magnitude); // (batch, mels, frames)
        using var offset = LogOffset.ToScalar();
        using var one = 1.ToScalar(); // an explicit alpha: TorchSharp's implicit one is a temporary the GC may take mid-call
        mel.add_(offset, one).log_();
        using (mel)
            return Standardise(mel);
    }

    /// <summary>
    /// This front end as ONNX operators (<see cref="forward"/>, the STFT as a convolution): (batch, 1, samples) →
    /// (batch, mels, frames).
    /// </summary>
    /// <param name="samples">The input's length, fixed in the graph.</param>
    internal string AppendTo(OnnxGraphBuilder g, string waveform, long samples)
    {
        const string scope = "front_end";
        var unscaled = g.Node("Mul", scope, [waveform, g.Float32s(1 / Preprocessing.InputScale)]);
        var padded = g.Node("Pad", scope, [unscaled, g.Int64s(0, 0, 0, 0, 0, PaddedSamples(samples) - samples)]);
        var magnitude = g.Node("Sqrt", scope, [OnnxSpectrum.Power(g, padded, scope, window, Hop)]); // (batch, bins, frames)
        using (var weights = MelWeightMatrix)
        using (var byBand = weights.t())
        {
            var mel = g.Node("MatMul", scope, [g.Constant($"{scope}.mel_weights", byBand), magnitude]); // (batch, mels, frames)
            var logMel = g.Node("Log", scope, [g.Node("Add", scope, [mel, g.Float32s((float)LogOffset)])]);
            var mean = g.Node("ReduceMean", scope, [logMel], OnnxGraphBuilder.Ints("axes", 1, 2), OnnxGraphBuilder.Int("keepdims", 1));
            var centred = g.Node("Sub", scope, [logMel, mean]);
            var variance = g.Node("ReduceMean", scope, [g.Node("Mul", scope, [centred, centred])], OnnxGraphBuilder.Ints("axes", 1, 2),
                OnnxGraphBuilder.Int("keepdims", 1));
            var deviation = g.Node("Max", scope, [g.Node("Sqrt", scope, [variance]), g.Float32s((float)MinimumDeviation)]);
            return g.Node("Div", scope, [centred, deviation]);
        }
    }

    /// <summary>(x − mean) / max(std, 1e-6), over every axis but the first: (batch, ...) → (batch, ...).</summary>
    private static Tensor Standardise(Tensor x)
    {
        long[] axes = [.. Enumerable.Range(1, (int)x.dim() - 1)];
        var (deviation, mean) = std_mean(x, axes, unbiased: false, keepdim: true);
        using (mean)
        using (deviation)
        {
            using var floor = MinimumDeviation.ToScalar();
            deviation.clamp_min_(floor);
            var centred = x.sub(mean);
            centred.div_(deviation);
            return centred;
        }
    }

    /// <summary>
    /// <c>tf.signal.linear_to_mel_weight_matrix</c>: (bins, mels) in row-major order, bin k at k · (sampleRate / 2) / (bins − 1) Hz; band m
    /// rises from edge m to its centre m + 1 and falls to edge m + 2 (mels + 2 edges equally spaced in HTK mel); the DC
    /// row is zero.
    /// </summary>
    internal static float[] MelWeights(int sampleRate, int bins, int mels, double minHz, double maxHz)
    {
        static double ToMel(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);
        var (low, high) = (ToMel(minHz), ToMel(maxHz));
        var edges = Enumerable.Range(0, mels + 2).Select(i => low + (high - low) * i / (mels + 1)).ToArray();
        var weights = new float[bins * mels];
        for (var k = 1; k < bins; k++)
        {
            var mel = ToMel(sampleRate / 2.0 * k / (bins - 1));
            for (var m = 0; m < mels; m++)
            {
                var rising = (mel - edges[m]) / (edges[m + 1] - edges[m]);
                var falling = (edges[m + 2] - mel) / (edges[m + 2] - edges[m + 1]);
                weights[k * mels + m] = (float)Math.Max(0, Math.Min(rising, falling));
            }
        }
        return weights;
    }
}
