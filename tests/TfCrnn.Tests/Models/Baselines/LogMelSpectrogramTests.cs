using TfCrnn.Data;
using TfCrnn.Models.FrontEnds;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>AttnCRNN's front end: the authors' log-mel spectrogram, standardised per clip.</summary>
public sealed class LogMelSpectrogramTests
{
    /// <summary>
    /// Against the definition computed apart in float64: frames of 1,024 samples every 128 from the first sample, the
    /// end zero-padded, a periodic Hann window, |DFT| as a matrix product, the mel weights, ln(x + 1e-6), then the clip's
    /// mean and deviation. On noise (a pure tone leaves bands whose energy is below float32's rounding of the STFT,
    /// where the logarithm magnifies it).
    /// </summary>
    [Fact]
    public void ItIsTheStandardisedLogOfMelWeightedDftMagnitudes()
    {
        using var scope = NewDisposeScope();
        using var frontEnd = new LogMelSpectrogram();
        var clips = Noise(3, seed: 7);
        var actual = frontEnd.forward(clips);

        var samples = clips.to_type(ScalarType.Float64).squeeze(1) / Preprocessing.InputScale;
        var padded = nn.functional.pad(samples, [0, 124 * 128 + 1024 - 16_000]);
        var n = arange(1024, dtype: ScalarType.Float64);
        var window = 0.5 - 0.5 * cos(2 * Math.PI * n / 1024);
        var frames = padded.unfold(1, 1024, 128) * window; // (clips, 125, 1024)
        var angle = 2 * Math.PI * outer(arange(513, dtype: ScalarType.Float64), n) / 1024; // (bins, 1024)
        var real = frames.matmul(cos(angle).t());
        var imaginary = frames.matmul(sin(angle).t());
        var magnitude = sqrt(real * real + imaginary * imaginary); // (clips, 125, bins)
        var logMel = log(magnitude.matmul(frontEnd.MelWeightMatrix.to_type(ScalarType.Float64)) + 1e-6); // (clips, 125, mels)
        var mean = logMel.mean([1, 2], keepdim: true);
        var deviation = logMel.std([1, 2], unbiased: false, keepdim: true);
        var expected = ((logMel - mean) / deviation).transpose(1, 2);

        Assert.Equal([3, 80, 125], actual.shape);
        var difference = (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        Assert.True(difference < 2e-4, $"max |difference| {difference:e2}");
    }

    /// <summary>HTK-scale bands: a tone's energy is highest in the band whose centre (in mel) is nearest to it.</summary>
    [Theory]
    [InlineData(200.0)]
    [InlineData(1000.0)]
    [InlineData(3150.0)]
    [InlineData(6000.0)]
    public void AToneLightsTheBandCentredNearestToIt(double hz)
    {
        using var scope = NewDisposeScope();
        using var frontEnd = new LogMelSpectrogram();
        var t = arange(16_000, dtype: ScalarType.Float64) / 16_000;
        var tone = (0.3 * Preprocessing.InputScale * sin(2 * Math.PI * hz * t)).to_type(ScalarType.Float32).view(1, 1, -1);
        var loudest = frontEnd.forward(tone).mean([2]).argmax(1).item<long>();

        static double Mel(double f) => 1127 * Math.Log(1 + f / 700);
        var centres = Enumerable.Range(1, 80).Select(i => Mel(40) + (Mel(8000) - Mel(40)) * i / 81).ToArray();
        var nearest = Array.IndexOf(centres, centres.MinBy(c => Math.Abs(c - Mel(hz))));
        Assert.InRange(loudest, nearest - 1, nearest + 1);
    }

    /// <summary>Zero mean and unit deviation per clip, whatever its batch mates and, on noise, its gain.</summary>
    [Fact]
    public void EachClipIsStandardisedOnItsOwnWhateverItsLoudnessOrBatch()
    {
        using var scope = NewDisposeScope();
        using var frontEnd = new LogMelSpectrogram();
        var clips = Noise(3, seed: 8);
        var together = frontEnd.forward(clips);
        var (deviation, mean) = std_mean(together, [1, 2], unbiased: false);
        Assert.True(mean.abs().max().item<float>() < 1e-5);
        Assert.True((deviation - 1).abs().max().item<float>() < 1e-4);

        var alone = frontEnd.forward(clips.narrow(0, 1, 1));
        Assert.True((alone - together.narrow(0, 1, 1)).abs().max().item<float>() < 1e-5, "a clip's features depend on its batch");
        var louder = frontEnd.forward(clips.narrow(0, 1, 1) * 4);
        Assert.True((louder - together.narrow(0, 1, 1)).abs().max().item<float>() < 1e-3, "a clip's features depend on its gain");
    }

    /// <summary>White noise of deviation 0.1, as the models take it: (count, 1, 16000).</summary>
    private static Tensor Noise(int count, ulong seed) =>
        randn([count, 1, 16_000], generator: new Generator(seed)).mul_(0.1 * Preprocessing.InputScale);

    [Fact]
    public void ASilentClipGivesZerosNotNaN()
    {
        using var scope = NewDisposeScope();
        using var frontEnd = new LogMelSpectrogram();
        Assert.Equal(0f, frontEnd.forward(zeros(1, 1, 16_000)).abs().max().item<float>());
    }
}
