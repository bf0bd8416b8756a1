using TfCrnn.Runtime;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.Tests.SpeechEmbedding;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Tests.Runtime;

/// <summary>
/// The speech embedding as a step model's front end (<see cref="SpeechEmbeddingStepModel"/>), with a head that records
/// what it is given: every step hands the head the embedding of its window, the one the clip and the stream give,
/// whether the window continues the previous one (one new log-mel block) or not (all ten).
/// </summary>
public sealed class SpeechEmbeddingStepModelTests
{
    // ONNX Runtime may sum in another order for another batch size (SpeechEmbeddingEncoderTests).
    private const float BatchTolerance = 1e-5f;

    /// <summary>A head that keeps the features of every step and returns state + 1 and no logits of note.</summary>
    private sealed class RecordingHead : IHeadStep
    {
        public List<float[]> Features { get; } = [];

        public StepOutput Step(float[] features, float[] state, int batch)
        {
            Features.Add([.. features]);
            return new StepOutput(new float[batch * 2], [.. state.Select(s => s + 1)]);
        }

        public void Dispose() { }
    }

    private static SpeechEmbeddingStepModel Open(string encoder, RecordingHead head) =>
        new(EmbeddingNetwork.Open(Path.Combine(encoder, SpeechEmbeddingEncoder.EmbeddingFile), threads: 1), head,
            SpeechEmbeddingStepModel.Describe(LabelSet.FromLabels(["yes", "_none_"]), stateSize: 3, "recorded"));

    [Fact]
    public void ItsFramingIsTheEmbeddingsOneWindowEvery80Ms()
    {
        using var model = Open(EncoderFixtures.StandIn, new RecordingHead());
        Assert.Equal(13_152, model.Info.Window);
        Assert.Equal(9 * 1280 + 1632, model.Info.Window);
        Assert.Equal(1280, model.Info.Hop);
        Assert.Equal(16, model.Info.StepsPerClip);
        Assert.Equal(PaddedClipSamples, (model.Info.StepsPerClip - 1) * model.Info.Hop + model.Info.Window);
        Assert.Equal(1f, model.Info.InputScale);
        var other = model.Info with { Hop = 1600 };
        Assert.Contains("the speech-embedding front end has 13152 every 1280",
            Assert.Throws<TfCrnnException>(() => new SpeechEmbeddingStepModel(null!, new RecordingHead(), other)).Message);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheStepsOverAPaddedClipGiveTheClipsEmbeddings(bool real)
    {
        var encoderFolder = real ? EncoderFixtures.Real() : EncoderFixtures.StandIn;
        using var encoder = SpeechEmbeddingEncoder.Open(encoderFolder);
        var clip = EncoderFixtures.Speech(2)[1];
        var offline = encoder.EmbedClip(clip);
        var padded = new float[PaddedClipSamples];
        clip.CopyTo(padded, ClipPadBefore);

        var head = new RecordingHead();
        using var model = Open(encoderFolder, head);
        var state = new float[3];
        for (var t = 0; t < ClipSteps; t++)
            state = model.Step(padded.AsSpan(t * StepSamples, StepWindowSamples).ToArray(), state, 1).State;
        Assert.Equal([16f, 16f, 16f], state);
        Assert.Equal(ClipSteps, head.Features.Count);
        for (var t = 0; t < ClipSteps; t++)
            AssertClose(offline.AsSpan(t * Dimensions, Dimensions), head.Features[t], $"step {t}");
    }

    /// <summary>
    /// A stream framed as the recognizer frames it: windows that continue each other reuse the previous blocks, a window
    /// that does not is computed whole; either way the features equal a fresh model's on the same window, bit for bit.
    /// </summary>
    [Fact]
    public void ReusingThePreviousBlocksChangesNothing()
    {
        var recording = EncoderFixtures.Speech(2).SelectMany(c => c).Concat(EncoderFixtures.Signals(20_000)[0]).ToArray();
        var framer = new AudioFramer(StepWindowSamples, StepSamples, 1f);
        var windows = new List<float[]>();
        ReadOnlySpan<float> input = recording;
        while (framer.TryTake(ref input, out var window)) windows.Add(window.ToArray());
        // A jump: the stream's window 20 comes again after window 30, then the stream goes on from 21.
        var order = Enumerable.Range(0, 31).Concat([20, 21, 22]).ToList();

        var streamed = new RecordingHead();
        using var stream = Open(EncoderFixtures.StandIn, streamed);
        foreach (var w in order) stream.Step(windows[w], new float[3], 1);
        foreach (var (w, i) in order.Select((w, i) => (w, i)))
        {
            var fresh = new RecordingHead();
            using (var alone = Open(EncoderFixtures.StandIn, fresh))
                alone.Step(windows[w], new float[3], 1);
            Assert.Equal(fresh.Features[0], streamed.Features[i]);
        }
    }

    [Fact]
    public void AWindowPerLaneGivesEachLaneItsOwnEmbedding()
    {
        var recording = EncoderFixtures.Signals(3 * StepWindowSamples)[0];
        var shared = new RecordingHead();
        using var one = Open(EncoderFixtures.StandIn, shared);
        for (var lane = 0; lane < 3; lane++)
            one.Step(recording.AsSpan(lane * StepWindowSamples, StepWindowSamples).ToArray(), new float[3], 1);
        var perLane = new RecordingHead();
        using var three = Open(EncoderFixtures.StandIn, perLane);
        three.Step(recording, new float[9], 3);
        for (var lane = 0; lane < 3; lane++)
            AssertClose(shared.Features[lane], perLane.Features[0].AsSpan(lane * Dimensions, Dimensions), $"lane {lane}");
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= BatchTolerance, $"{what}, value {i}: {actual[i]}, expected {expected[i]}");
    }
}
