using Microsoft.ML.OnnxRuntime;

namespace TfCrnn.Runtime.Onnx;

/// <summary>The exported whole-clip graph (<see cref="OnnxMetadata.ClipFile"/>) run by ONNX Runtime.</summary>
public sealed class OnnxClipModel : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();

    private OnnxClipModel(InferenceSession session, string path)
    {
        this.session = session;
        Info = OnnxSessions.ReadInfo(session, path);
        if (!session.InputMetadata.ContainsKey(OnnxMetadata.WaveformInput) || !session.OutputMetadata.TryGetValue(OnnxMetadata.LogitsOutput, out var logits))
            throw new TfCrnnException($"{path}: not a clip graph (inputs {OnnxMetadata.WaveformInput}, outputs {OnnxMetadata.LogitsOutput})");
        Steps = logits.Dimensions[0];
    }

    /// <param name="path">A <see cref="OnnxMetadata.ClipFile"/>.</param>
    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose.</param>
    public static OnnxClipModel Load(string path, int threads = 1) => OnnxSessions.Own(OnnxSessions.Open(path, threads), s => new OnnxClipModel(s, path));

    /// <summary>The same graph from bytes in memory (an export that was never written); <paramref name="name"/> names it in errors.</summary>
    public static OnnxClipModel Load(byte[] model, string name, int threads = 1) =>
        OnnxSessions.Own(OnnxSessions.Open(model, name, threads), s => new OnnxClipModel(s, name));

    public StepModelInfo Info { get; }

    /// <summary>Steps per clip (1 for the CNN).</summary>
    public int Steps { get; }

    /// <param name="clips">(batch, 1, ClipSamples) scaled samples, row-major (<see cref="ClipInput.Prepare"/>).</param>
    /// <returns>Logits (steps, batch, classes), row-major.</returns>
    public float[] Logits(float[] clips, int batch)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (batch < 1 || clips.Length != batch * Info.ClipSamples)
            throw new ArgumentException($"expected {batch} × {Info.ClipSamples} samples, got {clips.Length}");
        var logits = new float[Steps * batch * Info.Labels.Count];
        using var input = OrtValue.CreateTensorValueFromMemory(clips, [batch, 1, Info.ClipSamples]);
        using var output = OrtValue.CreateTensorValueFromMemory(logits, [Steps, batch, Info.Labels.Count]);
        session.Run(runOptions, [OnnxMetadata.WaveformInput], [input], [OnnxMetadata.LogitsOutput], [output]);
        return logits;
    }

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}
