using Microsoft.ML.OnnxRuntime;
using TfCrnn.Runtime.SpeechEmbedding;
using Xunit.Abstractions;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Tests.SpeechEmbedding;

/// <summary>
/// The encoder's two forms: whole clips (16 embeddings of a padded second, many clips in one network call) and a
/// stream (one embedding per 80 ms as samples arrive), which equal each other on the windows they share.
/// </summary>
public sealed class SpeechEmbeddingEncoderTests(ITestOutputHelper output)
{
    // ONNX Runtime may sum in another order for another batch size.
    private const float BatchTolerance = 1e-5f;

    [Fact]
    public void TheGeometryGivesSixteenStepsPerClip()
    {
        Assert.Equal(32352, PaddedClipSamples);
        Assert.Equal(25, BlocksIn(PaddedClipSamples));
        Assert.Equal(ClipSteps, StepsForBlocks(BlocksIn(PaddedClipSamples)));
        Assert.Equal(15, StepsForBlocks(BlocksIn(PaddedClipSamples - 1)));
        // Window w's last frame lies in its last block, and that block ends within the samples it was counted in.
        for (var steps = 1; steps < 40; steps++)
        {
            var lastFrame = (steps - 1) * StepFrames + WindowFrames - 1;
            Assert.True(lastFrame * HopSamples + FrameSamples <= SamplesForSteps(steps));
            Assert.Equal(steps, StepsForBlocks(BlocksIn(SamplesForSteps(steps))));
            Assert.Equal(steps - 1, StepsForBlocks(BlocksIn(SamplesForSteps(steps) - 1)));
        }
    }

    [Fact]
    public void ClipsInOneCallEqualEachClipAlone()
    {
        using var encoder = SpeechEmbeddingEncoder.Open(EncoderFixtures.StandIn);
        var clips = EncoderFixtures.Speech(3);
        var together = encoder.EmbedClips(clips.SelectMany(c => c).ToArray(), clips.Count);
        Assert.Equal(3 * ClipSteps * Dimensions, together.Length);
        for (var c = 0; c < clips.Count; c++)
        {
            var alone = encoder.EmbedClip(clips[c]);
            Assert.Equal(ClipSteps * Dimensions, alone.Length);
            AssertClose(alone, together.AsSpan(c * alone.Length, alone.Length), BatchTolerance, $"clip {c}");
        }
        // Different clips, different embeddings.
        Assert.NotEqual(together.AsSpan(0, 96).ToArray(), together.AsSpan(ClipSteps * Dimensions + 15 * 96, 96).ToArray());
    }

    [Theory]
    [InlineData(160)]
    [InlineData(333)]
    [InlineData(1280)]
    [InlineData(5001)]
    public void TheStreamOfAPaddedClipGivesTheClipsEmbeddingsWhenTheirSamplesAreIn(int chunk)
    {
        using var encoder = SpeechEmbeddingEncoder.Open(EncoderFixtures.StandIn);
        var clip = EncoderFixtures.Speech(2)[1];
        var offline = encoder.EmbedClip(clip);
        var padded = new float[PaddedClipSamples];
        clip.CopyTo(padded, ClipPadBefore);
        var stream = encoder.CreateStream();
        var streamed = new List<float[]>();
        for (var start = 0; start < padded.Length; start += chunk)
        {
            var end = Math.Min(start + chunk, padded.Length);
            streamed.AddRange(stream.Push(padded.AsSpan(start, end - start)));
            // Embedding k arrives with sample SamplesForSteps(k + 1), not before.
            Assert.Equal(StepsForBlocks(BlocksIn(end)), streamed.Count);
        }
        Assert.Equal(ClipSteps, streamed.Count);
        Assert.Equal(ClipSteps, stream.Steps);
        for (var k = 0; k < ClipSteps; k++)
            AssertClose(offline.AsSpan(k * Dimensions, Dimensions), streamed[k], BatchTolerance, $"step {k}");
    }

    /// <summary>A long recording: each streamed embedding equals the offline one of the window it covers; Reset starts over.</summary>
    [Fact]
    public void StreamingEqualsOfflineOnTheWindowItCovers()
    {
        using var encoder = SpeechEmbeddingEncoder.Open(EncoderFixtures.StandIn);
        var recording = EncoderFixtures.Speech(3).SelectMany(c => c).Concat(EncoderFixtures.Signals(7777)[0]).ToArray();
        var frames = LogMelSpectrogram.ComputeBlocks(recording);
        var steps = StepsForBlocks(BlocksIn(recording.Length));
        Assert.Equal(StepsForBlocks(frames.Length / (BlockFrames * MelBands)), steps);
        var stream = encoder.CreateStream();
        for (var pass = 0; pass < 2; pass++)
        {
            var streamed = stream.Push(recording);
            Assert.Equal(steps, streamed.Count);
            for (var w = 0; w < steps; w += 7)
            {
                var window = new float[WindowFrames * MelBands];
                SpeechEmbeddingEncoder.CopyWindows(frames.AsSpan(w * StepFrames * MelBands), 1, window);
                AssertClose(RunNetwork(EncoderFixtures.StandIn, window), streamed[w], BatchTolerance, $"window {w}");
            }
            stream.Reset();
            Assert.Equal(0, stream.Steps);
        }
    }

    /// <summary>
    /// With the real files: the C# front end and ONNX Runtime give the embeddings that the two graphs alone give
    /// (melspectrogram.onnx called per block, as openWakeWord streams, then embedding_model.onnx).
    /// </summary>
    [SkippableFact]
    public void TheRealEncoderEqualsItsTwoGraphs()
    {
        var folder = EncoderFixtures.Real();
        using var encoder = SpeechEmbeddingEncoder.Open(folder);
        var worst = 0f;
        foreach (var clip in EncoderFixtures.Speech(4))
        {
            var padded = new float[PaddedClipSamples];
            clip.CopyTo(padded, ClipPadBefore);
            var frames = new float[BlocksIn(padded.Length) * BlockFrames * MelBands];
            for (var b = 0; b < BlocksIn(padded.Length); b++)
                EncoderFixtures.OnnxMel(folder, padded.AsSpan(b * StepSamples, BlockSamples)).CopyTo(frames, b * BlockFrames * MelBands);
            var windows = new float[ClipSteps * WindowFrames * MelBands];
            SpeechEmbeddingEncoder.CopyWindows(frames, ClipSteps, windows);
            var graphs = RunNetwork(folder, windows);
            var ours = encoder.EmbedClip(clip);
            worst = Math.Max(worst, ours.Zip(graphs).Max(p => Math.Abs(p.First - p.Second)));
            // Embeddings are of order 1-10: the log-mel's 1e-5 moves them by far less than that.
            Assert.True(ours.Max(Math.Abs) > 1);
        }
        output.WriteLine($"max |embedding (C# log-mel) − embedding (melspectrogram.onnx)| = {worst:e2}");
        Assert.True(worst <= 1e-3f, $"differs by {worst:e2}");
    }

    [Fact]
    public void AFolderWithoutTheNetworkOrWithAnotherGraphIsRefused()
    {
        using var folder = new Support.TempDirectory("encoder");
        var missing = Assert.Throws<TfCrnnException>(() => SpeechEmbeddingEncoder.Open(folder.Path));
        Assert.Contains("embedding_model.onnx: no such file", missing.Message);
        File.Copy(Path.Combine(EncoderFixtures.StandIn, SpeechEmbeddingEncoder.MelFile), folder.Combine(SpeechEmbeddingEncoder.EmbeddingFile));
        var wrong = Assert.Throws<TfCrnnException>(() => SpeechEmbeddingEncoder.Open(folder.Path));
        Assert.Contains("not the speech-embedding network", wrong.Message);
    }

    private static float[] RunNetwork(string folder, float[] windows)
    {
        using var session = new InferenceSession(Path.Combine(folder, SpeechEmbeddingEncoder.EmbeddingFile));
        var count = windows.Length / (WindowFrames * MelBands);
        using var input = OrtValue.CreateTensorValueFromMemory(windows, [count, WindowFrames, MelBands, 1]);
        using var outputs = session.Run(new RunOptions(), [session.InputNames[0]], [input], session.OutputNames);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}, value {i}: {expected[i]} against {actual[i]}");
    }
}
