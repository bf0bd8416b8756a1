using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// The frozen speech-embedding front end: log-mel frames computed in C# (as <see cref="MelFile"/> computes them), and
/// 96-d embeddings from <see cref="EmbeddingFile"/> run by ONNX Runtime (<see cref="SpeechEmbeddingGeometry"/>).
/// Whole clips for training and evaluation (<see cref="EmbedClips"/>), samples as they arrive for streaming
/// (<see cref="CreateStream"/>); both give the same embeddings for the same samples. Thread-safe.
/// </summary>
public sealed class SpeechEmbeddingEncoder : IDisposable
{
    /// <summary>The log-mel graph's file name (the C# front end computes what it computes).</summary>
    public const string MelFile = "melspectrogram.onnx";

    /// <summary>The embedding network's file name.</summary>
    public const string EmbeddingFile = "embedding_model.onnx";

    private readonly EmbeddingNetwork network;

    private SpeechEmbeddingEncoder(EmbeddingNetwork network) => this.network = network;

    /// <summary>Opens the embedding network in <paramref name="folder"/> (it is not checked against any hash here).</summary>
    /// <param name="threads">ONNX Runtime's intra-op threads; 0 lets it choose (one per core).</param>
    /// <exception cref="TfCrnnException">The file is missing or not the embedding network.</exception>
    public static SpeechEmbeddingEncoder Open(string folder, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return new(EmbeddingNetwork.Open(Path.Combine(folder, EmbeddingFile), threads));
    }

    /// <summary>The embeddings of one clip: <see cref="ClipSteps"/> × 96 values, row-major.</summary>
    /// <param name="clip"><see cref="ClipSamples"/> samples in [-1, 1], as <see cref="ClipInput.Prepare"/> centres them (scale 1).</param>
    public float[] EmbedClip(ReadOnlySpan<float> clip) => EmbedClips(clip, 1);

    /// <summary>
    /// The embeddings of <paramref name="count"/> clips, each padded with <see cref="ClipPadBefore"/> samples of silence
    /// before and silence after up to <see cref="PaddedClipSamples"/>, in one network call: (count, 16, 96), row-major.
    /// </summary>
    /// <param name="clips">(count, <see cref="ClipSamples"/>) samples in [-1, 1], row-major.</param>
    public float[] EmbedClips(ReadOnlySpan<float> clips, int count)
    {
        if (count < 0 || clips.Length != count * ClipSamples)
            throw new ArgumentException($"expected {count} × {ClipSamples} samples, got {clips.Length}", nameof(clips));
        var windows = new float[count * ClipSteps * WindowFrames * MelBands];
        var padded = new float[PaddedClipSamples];
        for (var c = 0; c < count; c++)
        {
            clips.Slice(c * ClipSamples, ClipSamples).CopyTo(padded.AsSpan(ClipPadBefore));
            var frames = LogMelSpectrogram.ComputeBlocks(padded);
            CopyWindows(frames, ClipSteps, windows.AsSpan(c * ClipSteps * WindowFrames * MelBands));
        }
        var embeddings = new float[count * ClipSteps * Dimensions];
        network.Run(windows, count * ClipSteps, embeddings);
        return embeddings;
    }

    /// <summary>A stream that gives one embedding per <see cref="StepSamples"/> as samples arrive.</summary>
    public SpeechEmbeddingStream CreateStream() => new(network);

    /// <summary>Windows 0 … <paramref name="steps"/> − 1 of <paramref name="frames"/> (window w: frames 8·w … 8·w + 75), one after the other.</summary>
    internal static void CopyWindows(ReadOnlySpan<float> frames, int steps, Span<float> windows)
    {
        const int windowValues = WindowFrames * MelBands;
        for (var w = 0; w < steps; w++)
            frames.Slice(w * StepFrames * MelBands, windowValues).CopyTo(windows.Slice(w * windowValues, windowValues));
    }

    public void Dispose() => network.Dispose();
}
