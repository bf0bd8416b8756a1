using Microsoft.ML.OnnxRuntime;

namespace TfCrnn.Runtime.Onnx;

/// <summary>
/// The exported step graph (<see cref="OnnxMetadata.StepFile"/>) run by ONNX Runtime: the <see cref="IStepModel"/>
/// contract directly, every lane in one call. Its buffers are allocated once per batch size and reused: the arrays of
/// a <see cref="StepOutput"/> are valid until the next <see cref="Step"/>, and its state may be passed straight back
/// (as <see cref="StreamingRecognizer"/> does) without a copy.
/// </summary>
public sealed class OnnxStepModel : IStepModel
{
    private readonly OnnxStepSession step;

    private OnnxStepModel(InferenceSession session, string path)
    {
        Info = OnnxSessions.ReadInfo(session, path);
        if (OnnxSessions.FrontEnd(session) is { } frontEnd)
            throw new TfCrnnException($"{path}: the step of a model over the {frontEnd} front end, which takes features, not samples: " +
                $"load its folder with {nameof(ExportedModel)}.{nameof(ExportedModel.Load)}");
        step = new OnnxStepSession(session, path, OnnxMetadata.WindowInput, [1, Info.Window], Info.Labels.Count, Info.StateSize);
    }

    /// <param name="path">A <see cref="OnnxMetadata.StepFile"/>.</param>
    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose.</param>
    /// <exception cref="TfCrnnException">Missing file, not an exported step graph.</exception>
    public static OnnxStepModel Load(string path, int threads = 1) => OnnxSessions.Own(OnnxSessions.Open(path, threads), s => new OnnxStepModel(s, path));

    /// <summary>The step model of an open session, which it takes over; <paramref name="path"/> names it in errors.</summary>
    internal static OnnxStepModel FromSession(Microsoft.ML.OnnxRuntime.InferenceSession session, string path) => new(session, path);

    /// <summary>The same graph from bytes in memory (an export that was never written); <paramref name="name"/> names it in errors.</summary>
    public static OnnxStepModel Load(byte[] model, string name, int threads = 1) =>
        OnnxSessions.Own(OnnxSessions.Open(model, name, threads), s => new OnnxStepModel(s, name));

    public StepModelInfo Info { get; }

    public StepOutput Step(float[] windows, float[] state, int batch)
    {
        Info.CheckStep(windows, state, batch);
        return step.Step(windows, state, batch);
    }

    public void Dispose() => step.Dispose();
}
