using System.Runtime.InteropServices;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// A model over the speech embedding as an <see cref="IStepModel"/>, so that <see cref="StreamingRecognizer"/> runs it
/// as it runs the waveform models: a step's window is the <see cref="StepWindowSamples"/> samples of one embedding
/// window (<see cref="WindowBlocks"/> blocks), every <see cref="StepSamples"/> samples (80 ms). A step computes the
/// window's log-mel blocks in C# (<see cref="LogMelSpectrogram"/>), its embedding with the frozen network (ONNX
/// Runtime), and the head's step on it (the exported step graph, or the TorchSharp head in the library), once for all
/// lanes. A window that continues the previous one (its samples shifted by one hop) reuses that window's blocks and
/// computes only its last: the same values, a tenth of the log-mel's cost.
/// </summary>
/// <remarks>
/// A lane run over the windows of a padded clip (<see cref="ClipPadBefore"/> of silence, the clip, silence up to
/// <see cref="PaddedClipSamples"/>) from zero state gives, step by step, the logits of the model's clip graph on that
/// clip: streaming equals offline on the window it covers. Not thread-safe.
/// </remarks>
public sealed class SpeechEmbeddingStepModel : IStepModel
{
    private const int BlockValues = BlockFrames * MelBands;
    private const int WindowValues = WindowFrames * MelBands;

    private readonly EmbeddingNetwork network;
    private readonly IHeadStep head;
    // The last window all lanes heard, and its blocks' frames, oldest first.
    private readonly float[] previous = new float[StepWindowSamples];
    private readonly float[] frames = new float[WindowBlocks * BlockValues];
    private readonly float[] window = new float[WindowValues];
    private readonly float[] features = new float[Dimensions];
    private bool hasPrevious;

    /// <summary>Takes over <paramref name="network"/> and <paramref name="head"/>: both are disposed with it.</summary>
    /// <exception cref="TfCrnnException"><paramref name="info"/> is not this front end's framing.</exception>
    internal SpeechEmbeddingStepModel(EmbeddingNetwork network, IHeadStep head, StepModelInfo info)
    {
        var expected = Describe(info.Labels, info.StateSize, info.Variant);
        if (info != expected)
            throw new TfCrnnException($"step model {info.Variant}: a window of {info.Window} samples every {info.Hop}, {info.StepsPerClip} steps over " +
                $"{info.ClipSamples} samples, input scale {info.InputScale}; the {FrontEndName} front end has {expected.Window} every {expected.Hop}, " +
                $"{expected.StepsPerClip} steps over {expected.ClipSamples} samples, input scale 1");
        this.network = network;
        this.head = head;
        Info = info;
    }

    /// <summary>
    /// The facts of a model over this front end: a step window of <see cref="StepWindowSamples"/> every
    /// <see cref="StepSamples"/>, <see cref="ClipSteps"/> steps over the padded clip (<see cref="PaddedClipSamples"/>,
    /// the context the model was trained on), samples in [-1, 1] as they are (the log-mel scales them).
    /// </summary>
    internal static StepModelInfo Describe(LabelSet labels, int stateSize, string variant) =>
        new StepModelInfo(labels, SampleRate, StepWindowSamples, StepSamples, PaddedClipSamples, ClipSteps, stateSize, 1f, variant,
            SpeechEmbeddingGeometry.RefractorySeconds).Validate();

    /// <inheritdoc/>
    public StepModelInfo Info { get; }

    /// <inheritdoc/>
    public StepOutput Step(float[] windows, float[] state, int batch)
    {
        if (Info.CheckStep(windows, state, batch) == 1)
        {
            EmbedShared(windows);
            return head.Step(features, state, batch);
        }
        // A window per lane: each lane's blocks computed whole, the embeddings in one call.
        var laneWindows = new float[batch * WindowValues];
        for (var lane = 0; lane < batch; lane++)
            LogMelSpectrogram.ComputeBlocks(windows.AsSpan(lane * StepWindowSamples, StepWindowSamples)).AsSpan(0, WindowValues)
                .CopyTo(laneWindows.AsSpan(lane * WindowValues));
        var embeddings = new float[batch * Dimensions];
        network.Run(laneWindows, batch, embeddings);
        return head.Step(embeddings, state, batch);
    }

    /// <summary>The embedding of the window every lane hears into <see cref="features"/>.</summary>
    private void EmbedShared(float[] samples)
    {
        var kept = StepWindowSamples - StepSamples;
        if (hasPrevious && MemoryMarshal.AsBytes(samples.AsSpan(0, kept)).SequenceEqual(MemoryMarshal.AsBytes(previous.AsSpan(StepSamples))))
        {
            // One hop on: the first blocks are the previous window's last (bit for bit the same samples).
            frames.AsSpan(BlockValues).CopyTo(frames);
            LogMelSpectrogram.Compute(samples.AsSpan(StepWindowSamples - BlockSamples), frames.AsSpan((WindowBlocks - 1) * BlockValues));
        }
        else
        {
            for (var b = 0; b < WindowBlocks; b++)
                LogMelSpectrogram.Compute(samples.AsSpan(b * StepSamples, BlockSamples), frames.AsSpan(b * BlockValues, BlockValues));
        }
        samples.CopyTo(previous, 0);
        hasPrevious = true;
        frames.AsSpan(0, WindowValues).CopyTo(window);
        network.Run(window, 1, features);
    }

    /// <summary>Disposes the embedding network's session and the head.</summary>
    public void Dispose()
    {
        head.Dispose();
        network.Dispose();
    }
}
