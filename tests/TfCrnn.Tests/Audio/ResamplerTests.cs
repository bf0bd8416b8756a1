using TfCrnn.Audio;

namespace TfCrnn.Tests.Audio;

public class ResamplerTests
{
    private static float[] Sine(double frequency, int rate, int length) =>
        Enumerable.Range(0, length).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();

    [Theory]
    [InlineData(22050, 16000)]
    [InlineData(44100, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(8000, 48000)]
    public void KeepsATonesPhaseAmplitudeAndDuration(int from, int to)
    {
        var input = Sine(440, from, from);

        var output = Resampler.Resample(input, from, to);

        Assert.Equal(to, output.Length);
        var expected = Sine(440, to, to);
        // Away from the edges (filter start-up), the output is the same tone sampled at the new rate.
        var error = Enumerable.Range(to / 10, to * 8 / 10).Max(i => Math.Abs(output[i] - expected[i]));
        Assert.True(error < 0.01, $"max error {error}");
    }

    [Fact]
    public void SameRateIsACopy()
    {
        float[] input = [0.1f, 0.2f];
        var output = Resampler.Resample(input, 16000, 16000);
        Assert.Equal(input, output);
        Assert.NotSame(input, output);
    }
}
