using TfCrnn.Data;
using TfCrnn.Models.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TfCrnn.Models.FrontEnds;

/// <summary>
/// The data-driven harmonic filterbank of HarmonicCNN (Won et al., ICASSP 2020, "Data-driven harmonic filters for
/// audio representation learning", Section 2), as the authors' <c>HarmonicSTFT</c> computes it:
/// <list type="number">
/// <item>power STFT as torchaudio's <c>Spectrogram(n_fft, power=2)</c>: periodic Hann window of the FFT size, hop =
/// FFT size / 2, centred frames with reflect padding: samples div hop + 1 frames of FFT size / 2 + 1 bins, bin k at
/// k · (sampleRate / 2) / (bins − 1) Hz;</item>
/// <item>triangular band-pass filters at the harmonics h · f0 (h = 1 … harmonics) of pitches f0 a
/// 1 / <c>stepsPerSemitone</c> semitone apart from C1 (MIDI 24, 32.7 Hz) to below the MIDI note nearest
/// sampleRate / (2 · harmonics): 128 pitches for 6 harmonics at 16 kHz; the filter at f has the bandwidth
/// (0.1079 · f + 24.7) / Q (the equivalent rectangular bandwidth over Q), where Q, one scalar, is the only learned
/// parameter;</item>
/// <item>decibels, 10 · log10(max(x, 1e-10)) (torchaudio's <c>AmplitudeToDB</c>).</item>
/// </list>
/// (batch, 1, samples) → (batch, harmonics, pitches, frames).
/// </summary>
/// <remarks>
/// The input is tfcrnn's (samples × <see cref="Preprocessing.InputScale"/>), brought back to [-1, 1] first: the
/// decibel floor of 1e-10 is not scale-free, and the authors' weights expect [-1, 1] samples.
/// </remarks>
internal sealed class HarmonicFilterbank : nn.Module<Tensor, Tensor>
{
    /// <summary>MIDI number of the lowest pitch, C1.</summary>
    internal const int LowestMidi = 24;

    /// <summary>The equivalent rectangular bandwidth, 0.1079 · f + 24.7 Hz (Glasberg and Moore).</summary>
    internal const double ErbSlope = 0.1079, ErbIntercept = 24.7;

    /// <summary>The smallest power that the decibels tell apart (torchaudio's <c>amin</c>).</summary>
    internal const double MinimumPower = 1e-10;

    // Constants, not state (neither learned nor saved): made on the input's device and in its type at each call
    // (ConstantTensor).
    private readonly float[] window;
    private readonly float[] binFrequencies;
    private readonly float[] centreFrequencies;
    // The field's name is the state-dict name: TorchSharp maps fields to components by name, and Module.to replaces the
    // field's tensor only where they agree.
    private readonly Parameter bandwidth_q;

    /// <param name="fftSize">FFT size (the authors' 512); the hop is half of it.</param>
    /// <param name="harmonics">Harmonics per pitch (6).</param>
    /// <param name="stepsPerSemitone">Pitches per semitone (2).</param>
    public HarmonicFilterbank(int sampleRate = 16_000, int fftSize = 512, int harmonics = 6, int stepsPerSemitone = 2)
        : base(nameof(HarmonicFilterbank))
    {
        FftSize = fftSize;
        Harmonics = harmonics;
        var highestMidi = (int)Math.Round(12 * Math.Log2(sampleRate / (2.0 * harmonics) / 440.0) + 69);
        Pitches = (highestMidi - LowestMidi) * stepsPerSemitone;
        var centres = new float[harmonics * Pitches];
        for (var h = 0; h < harmonics; h++)
            for (var p = 0; p < Pitches; p++)
                centres[h * Pitches + p] = (float)(440.0 * Math.Pow(2, (LowestMidi + (double)p / stepsPerSemitone - 69) / 12) * (h + 1));
        centreFrequencies = centres;
        using (var bins = linspace(0, sampleRate / 2, fftSize / 2 + 1, dtype: ScalarType.Float32))
            binFrequencies = bins.data<float>().ToArray();
        using (var hann = hann_window(fftSize, periodic: true, dtype: ScalarType.Float32))
            window = hann.data<float>().ToArray();
        bandwidth_q = new Parameter(ones(1));
        RegisterComponents();
    }

    public int FftSize { get; }
    public int Hop => FftSize / 2;
    public int Harmonics { get; }
    public int Pitches { get; }

    /// <summary>The learned Q that divides every bandwidth, (1).</summary>
    internal Parameter BandwidthQ => bandwidth_q;

    /// <summary>Frames of an input of <paramref name="samples"/>: samples div hop + 1.</summary>
    public long Frames(long samples) => samples / Hop + 1;

    /// <param name="input">(batch, 1, samples), scaled by <see cref="Preprocessing.InputScale"/>.</param>
    /// <returns>Decibels, (batch, harmonics, pitches, frames).</returns>
    public override Tensor forward(Tensor input)
    {
        var batch = input.shape[0];
        using var unscale = (1.0 / Preprocessing.InputScale).ToScalar();
        using var waveform = input.reshape(batch, input.shape[^1]).mul(unscale);
        using var deviceWindow = ConstantTensor.Of(window, [window.Length], input.dtype, input.device);
        using var spectrum = waveform.stft(FftSize, Hop, FftSize, deviceWindow, center: true, pad_mode: PaddingModes.Reflect,
            return_complex: true);
        using var magnitude = spectrum.abs();
        using var two = 2.0.ToScalar();
        using var power = magnitude.pow(two); // (batch, bins, frames)
        using var filters = Filters(input.dtype, input.device);
        using var filtersByBand = filters.t();
        using var banded = filtersByBand.matmul(power); // (batch, harmonics · pitches, frames)
        using var decibels = banded.view(batch, Harmonics, Pitches, power.shape[2]);
        using var floor = MinimumPower.ToScalar();
        using var ten = 10.0.ToScalar();
        return decibels.clamp_min(floor).log10_().mul_(ten);
    }

    /// <summary>
    /// This front end as ONNX operators (<see cref="forward"/>, the STFT as a convolution and the filters of the present
    /// Q as a constant): (batch, 1, samples) → (batch, harmonics, pitches, frames).
    /// </summary>
    internal string AppendTo(OnnxGraphBuilder g, string waveform)
    {
        const string scope = "front_end";
        var unscaled = g.Node("Mul", scope, [waveform, g.Float32s(1 / Preprocessing.InputScale)]);
        var padded = g.Node("Pad", scope, [unscaled, g.Int64s(0, 0, FftSize / 2, 0, 0, FftSize / 2)], OnnxGraphBuilder.String("mode", "reflect"));
        var power = OnnxSpectrum.Power(g, padded, scope, window, Hop); // (batch, bins, frames)
        string banded;
        using (var filters = Filters(ScalarType.Float32, CPU))
        using (var byBand = filters.t())
            banded = g.Node("MatMul", scope, [g.Constant($"{scope}.filters", byBand), power]); // (batch, bands, frames)
        var grid = g.Node("Reshape", scope, [banded, g.Int64s(0, Harmonics, Pitches, -1)]);
        var ln = g.Node("Log", scope, [g.Node("Max", scope, [grid, g.Float32s((float)MinimumPower)])]);
        return g.Node("Mul", scope, [ln, g.Float32s((float)(10 / Math.Log(10)))]); // 10 · log10
    }

    /// <summary>
    /// The filters, (bins, harmonics · pitches): max(0, min(1 + 2 (k − f) / bw, 1 − 2 (k − f) / bw)) for bin
    /// frequency k, centre f and bandwidth bw = (0.1079 f + 24.7) / Q; written as the authors write it (slopes ± 2 / bw
    /// times k, plus 1 ∓ 2 f / bw) so that float32 rounds alike. Out of place where autograd keeps an operation's output.
    /// </summary>
    internal Tensor Filters(ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        using var two = 2.0.ToScalar();
        using var minusTwo = (-2.0).ToScalar();
        using var one = 1.0.ToScalar();
        using var slope = ErbSlope.ToScalar();
        using var intercept = ErbIntercept.ToScalar();
        using var zero = 0.0.ToScalar();
        var f = ConstantTensor.Of(centreFrequencies, [centreFrequencies.Length], dtype, device);
        var k = ConstantTensor.Of(binFrequencies, [binFrequencies.Length, 1], dtype, device);
        // Explicit alphas (one) for add: TorchSharp's implicit ones are temporaries the GC may take while libtorch reads them.
        var bandwidth = f.mul(slope).add_(intercept, one).div(bandwidth_q).unsqueeze(0); // (1, bands)
        var offset = f.mul(two).unsqueeze(0).div_(bandwidth);
        var rising = k.matmul(bandwidth.reciprocal().mul(two)).add_(one, one).sub_(offset);
        var falling = k.matmul(bandwidth.reciprocal().mul(minusTwo)).add_(one, one).add_(offset, one);
        return minimum(falling, rising).clamp_min_(zero).MoveToOuterDisposeScope();
    }
}
