using Microsoft.ML.OnnxRuntime;
using TfCrnn.Runtime.Onnx;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// <c>embedding_model.onnx</c>, frozen, run by ONNX Runtime: input (windows, 76, 32, 1) rescaled log-mel frames,
/// output (windows, 1, 1, 96) embeddings. <see cref="Run"/> is thread-safe.
/// </summary>
internal sealed class EmbeddingNetwork : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;

    private EmbeddingNetwork(InferenceSession session, string path)
    {
        this.session = session;
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
            throw new TfCrnnException($"{path}: not the speech-embedding network (one input and one output expected)");
        var (input, inputInfo) = session.InputMetadata.Single();
        var (output, outputInfo) = session.OutputMetadata.Single();
        if (!inputInfo.Dimensions.AsSpan(1).SequenceEqual([WindowFrames, MelBands, 1]) || inputInfo.Dimensions.Length != 4
            || outputInfo.Dimensions.Length == 0 || outputInfo.Dimensions[^1] != Dimensions)
            throw new TfCrnnException($"{path}: not the speech-embedding network (input (windows, {WindowFrames}, {MelBands}, 1) and output (windows, …, {Dimensions}) expected, " +
                $"got ({string.Join(", ", inputInfo.Dimensions)}) and ({string.Join(", ", outputInfo.Dimensions)}))");
        inputName = input;
        outputName = output;
    }

    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose.</param>
    /// <exception cref="TfCrnnException">The file is missing or not the embedding network.</exception>
    public static EmbeddingNetwork Open(string path, int threads)
    {
        if (!File.Exists(path)) throw new TfCrnnException($"{path}: no such file");
        return OnnxSessions.Own(OnnxSessions.Open(path, threads), s => new EmbeddingNetwork(s, path));
    }

    /// <summary>The embeddings of <paramref name="windows"/> windows of 76 × 32 values each, laid one after the other.</summary>
    /// <param name="windows">(count, 76, 32) values, row-major.</param>
    /// <param name="embeddings">(count, 96) values, row-major.</param>
    public void Run(float[] windows, int count, float[] embeddings)
    {
        if (windows.Length != count * WindowFrames * MelBands || embeddings.Length != count * Dimensions)
            throw new ArgumentException($"{count} windows need {count * WindowFrames * MelBands} inputs and {count * Dimensions} outputs");
        if (count == 0) return;
        using var input = OrtValue.CreateTensorValueFromMemory(windows, [count, WindowFrames, MelBands, 1]);
        using var output = OrtValue.CreateTensorValueFromMemory(embeddings, [count, 1, 1, Dimensions]);
        using var runOptions = new RunOptions();
        session.Run(runOptions, [inputName], [input], [outputName], [output]);
    }

    public void Dispose() => session.Dispose();
}
