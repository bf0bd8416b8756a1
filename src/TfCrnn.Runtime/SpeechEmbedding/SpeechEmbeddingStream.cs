using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// Embeddings of a recording as its samples arrive: window w as soon as its last block is complete
/// (<see cref="SamplesForSteps"/>(w + 1) samples in), the same values as the whole recording gives. Made by
/// <see cref="SpeechEmbeddingEncoder.CreateStream"/>; not thread-safe.
/// </summary>
public sealed class SpeechEmbeddingStream
{
    private const int BlockValues = BlockFrames * MelBands;

    private readonly EmbeddingNetwork network;
    private readonly LogMelStream mel = new();
    // The last WindowBlocks blocks' frames, oldest first, and the frames of the window being embedded.
    private readonly float[] recent = new float[WindowBlocks * BlockValues];
    private readonly float[] window = new float[WindowFrames * MelBands];
    private readonly List<float[]> ready = [];

    internal SpeechEmbeddingStream(EmbeddingNetwork network) => this.network = network;

    /// <summary>Embeddings given so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Takes <paramref name="samples"/> (in [-1, 1], 16 kHz) and returns the embeddings (96 values each) they complete, oldest first.</summary>
    public IReadOnlyList<float[]> Push(ReadOnlySpan<float> samples)
    {
        ready.Clear();
        mel.Push(samples, Add);
        return [.. ready];
    }

    /// <summary>Forgets the samples so far: the next sample starts a new recording.</summary>
    public void Reset()
    {
        mel.Reset();
        Steps = 0;
    }

    private void Add(ReadOnlySpan<float> block)
    {
        recent.AsSpan(BlockValues).CopyTo(recent);
        block.CopyTo(recent.AsSpan((WindowBlocks - 1) * BlockValues));
        if (mel.Blocks < WindowBlocks) return;
        recent.AsSpan(0, window.Length).CopyTo(window);
        var embedding = new float[Dimensions];
        network.Run(window, 1, embedding);
        ready.Add(embedding);
        Steps++;
    }
}
