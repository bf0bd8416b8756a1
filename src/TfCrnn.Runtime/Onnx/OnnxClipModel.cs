using Microsoft.ML.OnnxRuntime;

namespace TfCrnn.Runtime.Onnx;

/// <summary>
/// The exported whole-clip graph (<see cref="OnnxMetadata.ClipFile"/>) run by ONNX Runtime: a clip's scaled samples
/// (<see cref="OnnxMetadata.WaveformInput"/>), or for a model over a frozen front end its features
/// (<see cref="OnnxMetadata.FeaturesInput"/>), to the logits of every step.
/// </summary>
public sealed class OnnxClipModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string inputName;

    private OnnxClipModel(InferenceSession session, string path)
    {
        this.session = session;
        Info = OnnxSessions.ReadInfo(session, path);
        inputName = new[] { OnnxMetadata.WaveformInput, OnnxMetadata.FeaturesInput }.FirstOrDefault(session.InputMetadata.ContainsKey) ?? "";
        if (inputName.Length == 0 || !session.OutputMetadata.TryGetValue(OnnxMetadata.LogitsOutput, out var logits))
            throw new TfCrnnException($"{path}: not a clip graph (inputs {OnnxMetadata.WaveformInput} or {OnnxMetadata.FeaturesInput}, outputs {OnnxMetadata.LogitsOutput})");
        Steps = logits.Dimensions[0];
        InputShape = [.. session.InputMetadata[inputName].Dimensions.Skip(1).Select(d => (long)d)];
        InputLength = checked((int)InputShape.Aggregate(1L, (a, b) => a * b));
        FrontEnd = OnnxSessions.FrontEnd(session);
    }

    /// <param name="path">A <see cref="OnnxMetadata.ClipFile"/>.</param>
    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose.</param>
    public static OnnxClipModel Load(string path, int threads = 1) => OnnxSessions.Own(OnnxSessions.Open(path, threads), s => new OnnxClipModel(s, path));

    /// <summary>The same graph from bytes in memory (an export that was never written); <paramref name="name"/> names it in errors.</summary>
    public static OnnxClipModel Load(byte[] model, string name, int threads = 1) =>
        OnnxSessions.Own(OnnxSessions.Open(model, name, threads), s => new OnnxClipModel(s, name));

    public StepModelInfo Info { get; }

    /// <summary>The frozen front end whose features the graph takes (<see cref="OnnxMetadata.FrontEnd"/>); null: it takes samples.</summary>
    public string? FrontEnd { get; }

    /// <summary>The graph's metadata (<see cref="OnnxMetadata"/>'s keys).</summary>
    internal IReadOnlyDictionary<string, string> Metadata => session.ModelMetadata.CustomMetadataMap;

    /// <summary>Steps per clip (1 for the CNN).</summary>
    public int Steps { get; }

    /// <summary>One clip's input without the batch dimension: (1, clip samples), or (steps, features) for a model over a frozen front end.</summary>
    public IReadOnlyList<long> InputShape { get; }

    /// <summary>Values of one clip's input.</summary>
    public int InputLength { get; }

    /// <param name="clips">
    /// (batch, …) row-major, <see cref="InputShape"/> a clip: scaled samples (<see cref="ClipInput.Prepare"/>), or a
    /// frozen front end's features (the speech embedding's: <see cref="SpeechEmbedding.SpeechEmbeddingEncoder.EmbedClips"/>).
    /// </param>
    /// <returns>Logits (steps, batch, classes), row-major.</returns>
    public float[] Logits(float[] clips, int batch)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (batch < 1 || clips.Length != batch * InputLength)
            throw new ArgumentException($"expected {batch} × {InputLength} input values, got {clips.Length}");
        var logits = new float[Steps * batch * Info.Labels.Count];
        using var input = OrtValue.CreateTensorValueFromMemory(clips, [batch, .. InputShape]);
        using var output = OrtValue.CreateTensorValueFromMemory(logits, [Steps, batch, Info.Labels.Count]);
        session.Run(runOptions, [inputName], [input], [OnnxMetadata.LogitsOutput], [output]);
        return logits;
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}
