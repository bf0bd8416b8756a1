using TfCrnn.Audio;
using TfCrnn.Synthesis;

namespace TfCrnn.Tests.Synthesis;

public class SpeechBoundsTests
{
    /// <summary>One second of noise at <paramref name="noiseLevel"/> RMS with a 300 Hz burst of RMS 0.1 in [start, end).</summary>
    internal static float[] Burst(int start, int end, double noiseLevel, int seed = 1)
    {
        var clip = NoiseGenerator.Generate(NoiseColor.White, 16000, new Random(seed));
        Mixing.Scale(clip, noiseLevel);
        for (var i = start; i < end; i++)
            clip[i] += (float)(0.1 * Math.Sqrt(2) * Math.Sin(2 * Math.PI * 300 * i / 16000));
        return clip;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.001)]
    [InlineData(0.02)]
    public void FindsABurstWithinAFrameWhateverTheFloor(double noiseLevel)
    {
        var bounds = SpeechBounds.Find(Burst(4800, 9600, noiseLevel));
        Assert.NotNull(bounds);
        Assert.InRange(bounds.Value.Start, 4800 - SpeechBounds.FrameSamples, 4800);
        Assert.InRange(bounds.Value.End, 9600, 9600 + SpeechBounds.FrameSamples);
    }

    [Fact]
    public void ASilentClipHasNoSpeech()
    {
        Assert.Null(SpeechBounds.Find(new float[16000]));
        Assert.Null(SpeechBounds.Find(new float[100]));
    }
}
