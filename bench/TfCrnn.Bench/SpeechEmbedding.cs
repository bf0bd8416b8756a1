using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace TfCrnn.Bench;

/// <summary>
/// The frozen speech embedding of Lin et al. 2020 ("Training keyword spotters with limited and synthesized speech data",
/// Google's <c>speech_embedding</c>) in openWakeWord's ONNX conversion: <c>melspectrogram.onnx</c> gives a 32-bin log-mel
/// frame every 10 ms, rescaled as openWakeWord does (mel / 10 + 2); <c>embedding_model.onnx</c> maps 76 frames (775 ms)
/// to one 96-d embedding, every 8 frames (80 ms). A one-second clip is padded with <see cref="PadSamples"/> of silence
/// each side, so that the windows sweep across the word: <see cref="Steps"/> embeddings per clip.
/// </summary>
internal sealed class SpeechEmbedding : IDisposable
{
    public const int Dimensions = 96;
    public const int MelBins = 32;
    public const int WindowFrames = 76;
    public const int StepFrames = 8;
    public const int PadSamples = 8000;

    private readonly InferenceSession mel;
    private readonly InferenceSession embedding;

    public SpeechEmbedding(string modelFolder)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        mel = new InferenceSession(Path.Combine(modelFolder, "melspectrogram.onnx"), options);
        embedding = new InferenceSession(Path.Combine(modelFolder, "embedding_model.onnx"), options);
        Steps = Embed(new float[16000]).Length / Dimensions;
    }

    /// <summary>Embeddings per one-second clip.</summary>
    public int Steps { get; }

    /// <summary>
    /// The rescaled log-mel frames (frames × 32, row-major) of <paramref name="samples"/> (16 kHz, in [-1, 1]; openWakeWord
    /// feeds int16-scaled samples, so they are scaled by 32767 here).
    /// </summary>
    public float[] MelFrames(ReadOnlySpan<float> samples)
    {
        var input = new DenseTensor<float>([1, samples.Length]);
        for (var i = 0; i < samples.Length; i++)
            input.Buffer.Span[i] = samples[i] * 32767f;
        using var results = mel.Run([NamedOnnxValue.CreateFromTensor(mel.InputMetadata.Keys.First(), input)]);
        var frames = results[0].AsTensor<float>().ToArray();
        for (var i = 0; i < frames.Length; i++)
            frames[i] = frames[i] / 10f + 2f;
        return frames;
    }

    /// <summary>The embeddings (steps × 96, row-major) of a one-second clip (16,000 samples in [-1, 1]), padded each side.</summary>
    public float[] Embed(ReadOnlySpan<float> clip)
    {
        var padded = new float[clip.Length + 2 * PadSamples];
        clip.CopyTo(padded.AsSpan(PadSamples));
        var frames = MelFrames(padded);
        var frameCount = frames.Length / MelBins;
        var windows = (frameCount - WindowFrames) / StepFrames + 1;
        var input = new DenseTensor<float>([windows, WindowFrames, MelBins, 1]);
        for (var w = 0; w < windows; w++)
            frames.AsSpan(w * StepFrames * MelBins, WindowFrames * MelBins).CopyTo(input.Buffer.Span.Slice(w * WindowFrames * MelBins));
        using var results = embedding.Run([NamedOnnxValue.CreateFromTensor(embedding.InputMetadata.Keys.First(), input)]);
        return results[0].AsTensor<float>().ToArray();
    }

    public void Dispose()
    {
        mel.Dispose();
        embedding.Dispose();
    }
}
