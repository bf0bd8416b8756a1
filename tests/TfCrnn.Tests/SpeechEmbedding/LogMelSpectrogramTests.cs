using TfCrnn.Runtime.SpeechEmbedding;
using Xunit.Abstractions;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Tests.SpeechEmbedding;

/// <summary>
/// The C# log-mel front end against <c>melspectrogram.onnx</c> (the stand-in always, the real file where it is
/// installed) within 1e-4, and its block and streaming forms against the whole-recording computation.
/// </summary>
public sealed class LogMelSpectrogramTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void EqualsTheStandInGraph() => AssertEqualsGraph(EncoderFixtures.StandIn);

    [SkippableFact]
    public void EqualsTheRealGraph() => AssertEqualsGraph(EncoderFixtures.Real());

    /// <summary>Each block is one call of the graph on its 1,632 samples, as openWakeWord's streaming calls it.</summary>
    [SkippableFact]
    public void BlocksEqualTheRealGraphCalledPerBlock()
    {
        var folder = EncoderFixtures.Real();
        var padded = new float[PaddedClipSamples];
        EncoderFixtures.Speech(1)[0].CopyTo(padded, ClipPadBefore);
        var blocks = LogMelSpectrogram.ComputeBlocks(padded);
        Assert.Equal(25 * BlockFrames * MelBands, blocks.Length);
        var worst = 0f;
        for (var b = 0; b < 25; b++)
        {
            var graph = EncoderFixtures.OnnxMel(folder, padded.AsSpan(b * StepSamples, BlockSamples));
            worst = Math.Max(worst, MaxDifference(blocks.AsSpan(b * BlockFrames * MelBands, BlockFrames * MelBands), graph));
        }
        output.WriteLine($"25 blocks of a padded clip: max |C# − melspectrogram.onnx| = {worst:e2}");
        Assert.True(worst <= Tolerance, $"differs by {worst:e2}");
    }

    [Fact]
    public void BlocksAreTheFramesOfEachBlockComputedAlone()
    {
        var samples = EncoderFixtures.Signals(20000)[0];
        var blocks = LogMelSpectrogram.ComputeBlocks(samples);
        Assert.Equal(BlocksIn(20000), blocks.Length / (BlockFrames * MelBands));
        Assert.Equal(15, BlocksIn(20000));
        for (var b = 0; b < 15; b++)
        {
            var alone = new float[BlockFrames * MelBands];
            LogMelSpectrogram.Compute(samples.AsSpan(b * StepSamples, BlockSamples), alone);
            Assert.Equal(alone, blocks.AsSpan(b * BlockFrames * MelBands, alone.Length).ToArray());
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(159)]
    [InlineData(1281)]
    [InlineData(4099)]
    public void TheStreamGivesTheBlocksOfTheWholeRecording(int chunk)
    {
        var samples = EncoderFixtures.Signals(23456)[0];
        var whole = LogMelSpectrogram.ComputeBlocks(samples);
        var stream = new LogMelStream();
        var streamed = new List<float>();
        for (var start = 0; start < samples.Length; start += chunk)
            stream.Push(samples.AsSpan(start, Math.Min(chunk, samples.Length - start)), block => streamed.AddRange(block.ToArray()));
        Assert.Equal(BlocksIn(samples.Length), stream.Blocks);
        Assert.Equal(whole, streamed);
    }

    [Fact]
    public void TheFirstBlockComesWithItsLastSample()
    {
        var stream = new LogMelStream();
        var blocks = 0;
        stream.Push(new float[BlockSamples - 1], _ => blocks++);
        Assert.Equal(0, blocks);
        stream.Push(new float[1], _ => blocks++);
        Assert.Equal(1, blocks);
        stream.Push(new float[StepSamples - 1], _ => blocks++);
        Assert.Equal(1, blocks);
        stream.Push(new float[1], _ => blocks++);
        Assert.Equal(2, blocks);
    }

    private void AssertEqualsGraph(string folder)
    {
        var cases = EncoderFixtures.Speech(6).Select((c, i) => ($"speech {i}", c))
            .Concat(EncoderFixtures.Signals(9999).Select((s, i) => ($"signal {i}", s)))
            .Append(("a padded clip", Padded(EncoderFixtures.Speech(1)[0])))
            .Append(("one frame", EncoderFixtures.Signals(FrameSamples)[0]));
        var worst = 0f;
        foreach (var (name, samples) in cases)
        {
            var graph = EncoderFixtures.OnnxMel(folder, samples);
            var frames = new float[LogMelSpectrogram.FrameCount(samples.Length) * MelBands];
            LogMelSpectrogram.Compute(samples, frames);
            Assert.Equal(graph.Length, frames.Length);
            var difference = MaxDifference(frames, graph);
            output.WriteLine($"{name}: {samples.Length} samples, {frames.Length / MelBands} frames, max |C# − graph| = {difference:e2}");
            Assert.True(difference <= Tolerance, $"{name}: differs by {difference:e2}");
            worst = Math.Max(worst, difference);
        }
        output.WriteLine($"worst: {worst:e2}");
    }

    private static float[] Padded(float[] clip)
    {
        var padded = new float[PaddedClipSamples];
        clip.CopyTo(padded, ClipPadBefore);
        return padded;
    }

    private static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var worst = 0f;
        for (var i = 0; i < a.Length; i++)
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }
}
