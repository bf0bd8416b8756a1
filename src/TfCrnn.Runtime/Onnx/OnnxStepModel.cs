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
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    /// <summary>Whether the graph takes one window for all lanes (<see cref="OnnxMetadata.WindowBatchDimension"/>); older exports do not.</summary>
    private readonly bool sharesWindow;
    private Buffers? buffers;

    private OnnxStepModel(InferenceSession session, string path)
    {
        this.session = session;
        Info = OnnxSessions.ReadInfo(session, path);
        var stateful = Info.StateSize > 0;
        inputNames = stateful ? [OnnxMetadata.WindowInput, OnnxMetadata.HiddenInput] : [OnnxMetadata.WindowInput];
        outputNames = stateful ? [OnnxMetadata.LogitsOutput, OnnxMetadata.NextHiddenOutput] : [OnnxMetadata.LogitsOutput];
        var missing = inputNames.Except(session.InputMetadata.Keys).Concat(outputNames.Except(session.OutputMetadata.Keys)).ToList();
        if (missing.Count > 0)
            throw new TfCrnnException($"{path}: not a step graph (no {string.Join(", ", missing)})");
        sharesWindow = stateful &&
            session.InputMetadata[OnnxMetadata.WindowInput].SymbolicDimensions.FirstOrDefault() == OnnxMetadata.WindowBatchDimension;
    }

    /// <param name="path">A <see cref="OnnxMetadata.StepFile"/>.</param>
    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose.</param>
    /// <exception cref="TfCrnnException">Missing file, not an exported step graph.</exception>
    public static OnnxStepModel Load(string path, int threads = 1) => OnnxSessions.Own(OnnxSessions.Open(path, threads), s => new OnnxStepModel(s, path));

    /// <summary>The same graph from bytes in memory (an export that was never written); <paramref name="name"/> names it in errors.</summary>
    public static OnnxStepModel Load(byte[] model, string name, int threads = 1) =>
        OnnxSessions.Own(OnnxSessions.Open(model, name, threads), s => new OnnxStepModel(s, name));

    public StepModelInfo Info { get; }

    public StepOutput Step(float[] windows, float[] state, int batch)
    {
        var windowLanes = Info.CheckStep(windows, state, batch) == 1 && sharesWindow ? 1 : batch;
        var b = buffers is { Batch: var lanes, WindowLanes: var shared } && lanes == batch && shared == windowLanes
            ? buffers : Reallocate(batch, windowLanes);
        for (var lane = 0; lane < b.Windows.Length; lane += windows.Length)
            windows.CopyTo(b.Windows, lane);
        if (Info.StateSize == 0)
        {
            session.Run(runOptions, inputNames, [b.WindowValue], outputNames, [b.LogitsValue]);
            return new StepOutput(b.Logits, []);
        }
        // h(t-1) is read from one state buffer and h(t) written to the other; a state we returned comes back uncopied.
        var input = ReferenceEquals(state, b.States[1]) ? 1 : 0;
        if (!ReferenceEquals(state, b.States[input])) state.CopyTo(b.States[input], 0);
        var output = 1 - input;
        session.Run(runOptions, inputNames, [b.WindowValue, b.StateValues[input]], outputNames, [b.LogitsValue, b.StateValues[output]]);
        return new StepOutput(b.Logits, b.States[output]);
    }

    private Buffers Reallocate(int batch, int windowLanes)
    {
        buffers?.Dispose();
        return buffers = new Buffers(batch, windowLanes, Info);
    }

    public void Dispose()
    {
        buffers?.Dispose();
        runOptions.Dispose();
        session.Dispose();
    }

    /// <summary>Arrays of one batch size (and window lanes: 1 or the batch) and the ONNX Runtime values that wrap them (pinned, no copies).</summary>
    private sealed class Buffers : IDisposable
    {
        public Buffers(int batch, int windowLanes, StepModelInfo info)
        {
            Batch = batch;
            WindowLanes = windowLanes;
            Windows = new float[windowLanes * info.Window];
            Logits = new float[batch * info.Labels.Count];
            States = [new float[batch * info.StateSize], new float[batch * info.StateSize]];
            WindowValue = OrtValue.CreateTensorValueFromMemory(Windows, [windowLanes, 1, info.Window]);
            LogitsValue = OrtValue.CreateTensorValueFromMemory(Logits, [batch, info.Labels.Count]);
            StateValues = [.. States.Select(s => OrtValue.CreateTensorValueFromMemory(s, [batch, info.StateSize]))];
        }

        public int Batch { get; }
        public int WindowLanes { get; }
        public float[] Windows { get; }
        public float[] Logits { get; }
        public float[][] States { get; }
        public OrtValue WindowValue { get; }
        public OrtValue LogitsValue { get; }
        public OrtValue[] StateValues { get; }

        public void Dispose()
        {
            WindowValue.Dispose();
            LogitsValue.Dispose();
            foreach (var value in StateValues) value.Dispose();
        }
    }
}
