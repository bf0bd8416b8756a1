using System.Numerics;
using TfCrnn.Audio;

namespace TfCrnn.Tests.Audio;

public class NoiseAndMixingTests
{
    [Theory]
    [InlineData(nameof(NoiseColor.White))]
    [InlineData(nameof(NoiseColor.Pink))]
    [InlineData(nameof(NoiseColor.Brown))]
    public void NoiseHasUnitRmsZeroMeanAndIsDeterministicForASeed(string colorName)
    {
        var color = Enum.Parse<NoiseColor>(colorName);
        var a = NoiseGenerator.Generate(color, 16000, new Random(3));
        var b = NoiseGenerator.Generate(color, 16000, new Random(3));
        var c = NoiseGenerator.Generate(color, 16000, new Random(4));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(1.0, Mixing.Rms(a), 4);
        Assert.Equal(0.0, a.Average(), 4);
    }

    [Fact]
    public void SpectralSlopesOrderWhitePinkBrown()
    {
        // Power in 4-8 kHz relative to 125-250 Hz: about 1 for white, 1/32 for pink (1/f), 1/1024 for brown (1/f²).
        double Ratio(NoiseColor color)
        {
            var noise = NoiseGenerator.Generate(color, 1 << 15, new Random(1));
            var spectrum = noise.Select(s => new Complex(s, 0)).ToArray();
            Fft(spectrum);
            double Band(double lo, double hi) => Enumerable.Range(1, spectrum.Length / 2)
                .Where(k => k * 16000.0 / spectrum.Length is var f && f >= lo && f < hi)
                .Average(k => spectrum[k].Magnitude * spectrum[k].Magnitude);
            return Band(4000, 8000) / Band(125, 250);
        }
        var (white, pink, brown) = (Ratio(NoiseColor.White), Ratio(NoiseColor.Pink), Ratio(NoiseColor.Brown));
        Assert.InRange(white, 0.7, 1.4);
        Assert.InRange(pink, 1 / 32.0 / 2, 1 / 32.0 * 2);
        Assert.InRange(brown, 1 / 1024.0 / 4, 1 / 1024.0 * 4);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(5.0)]
    [InlineData(20.0)]
    public void AddAtSnrMixesAtTheRequestedRatio(double snr)
    {
        var signal = Enumerable.Range(0, 8000).Select(i => 0.3f * MathF.Sin(i * 0.05f)).ToArray();
        var clean = (float[])signal.Clone();
        var noise = NoiseGenerator.Generate(NoiseColor.Pink, 9000, new Random(7));
        Mixing.AddAtSnr(signal, noise, snr);
        var added = signal.Zip(clean, (s, c) => s - c).ToArray();
        Assert.Equal(snr, 20 * Math.Log10(Mixing.Rms(clean) / Mixing.Rms(added)), 3);
    }

    [Fact]
    public void AddAtSnrLeavesSilenceAloneAndRefusesShortNoise()
    {
        var silence = new float[100];
        Assert.Equal(0, Mixing.AddAtSnr(silence, new float[100].Select(_ => 1f).ToArray(), 10));
        Assert.All(silence, s => Assert.Equal(0f, s));
        Assert.Throws<ArgumentException>(() => Mixing.AddAtSnr(new float[10], new float[9], 0));
    }

    private static void Fft(Complex[] x)
    {
        var n = x.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            var bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) (x[i], x[j]) = (x[j], x[i]);
        }
        for (var len = 2; len <= n; len <<= 1)
        {
            var w = Complex.FromPolarCoordinates(1, -2 * Math.PI / len);
            for (var i = 0; i < n; i += len)
            {
                var wk = Complex.One;
                for (var k = 0; k < len / 2; k++, wk *= w)
                {
                    var (u, v) = (x[i + k], x[i + k + len / 2] * wk);
                    (x[i + k], x[i + k + len / 2]) = (u + v, u - v);
                }
            }
        }
    }
}
