using Microsoft.ML.OnnxRuntime;

namespace TfCrnn.Runtime.Onnx;

/// <summary>
/// One step of an exported step graph on its session, every lane in one call: an input of
/// <see cref="InputShape"/> per lane (a window of samples, or a frozen front end's features) and h(t-1) (batch, state)
/// → logits (batch, classes) and h(t). The buffers are allocated once per batch size and reused: the arrays of a
/// <see cref="StepOutput"/> are valid until the next <see cref="Step"/>, and its state may be passed straight back
/// without a copy. The session belongs to it.
/// </summary>
internal sealed class OnnxStepSession : IHeadStep
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly int classes;
    private readonly int stateSize;
    private Buffers? buffers;

    /// <param name="input">The graph's per-step input (<see cref="OnnxMetadata.WindowInput"/> or <see cref="OnnxMetadata.FeaturesInput"/>).</param>
    /// <param name="inputShape">One lane's input without the batch dimension: (1, window) or (features).</param>
    /// <param name="path">Names the graph in errors.</param>
    /// <exception cref="TfCrnnException">The graph lacks an input or output a step graph has.</exception>
    public OnnxStepSession(InferenceSession session, string path, string input, long[] inputShape, int classes, int stateSize)
    {
        this.session = session;
        this.classes = classes;
        this.stateSize = stateSize;
        InputShape = inputShape;
        InputLength = checked((int)inputShape.Aggregate(1L, (a, b) => a * b));
        var stateful = stateSize > 0;
        inputNames = stateful ? [input, OnnxMetadata.HiddenInput] : [input];
        outputNames = stateful ? [OnnxMetadata.LogitsOutput, OnnxMetadata.NextHiddenOutput] : [OnnxMetadata.LogitsOutput];
        var missing = inputNames.Except(session.InputMetadata.Keys).Concat(outputNames.Except(session.OutputMetadata.Keys)).ToList();
        if (missing.Count > 0)
            throw new TfCrnnException($"{path}: not a step graph (no {string.Join(", ", missing)})");
        SharesInput = stateful && session.InputMetadata[input].SymbolicDimensions.FirstOrDefault() == OnnxMetadata.WindowBatchDimension;
    }

    /// <summary>One lane's input, without the batch dimension.</summary>
    public long[] InputShape { get; }

    /// <summary>Values of one lane's input.</summary>
    public int InputLength { get; }

    /// <summary>
    /// Whether the graph takes one input for all lanes (its first dimension is <see cref="OnnxMetadata.WindowBatchDimension"/>,
    /// broadcast where the state first enters); older exports take one per lane.
    /// </summary>
    public bool SharesInput { get; }

    /// <param name="inputs">One input (<see cref="InputLength"/> values) that every lane hears, or one per lane.</param>
    /// <param name="state">h(t-1), (batch, state).</param>
    public StepOutput Step(float[] inputs, float[] state, int batch)
    {
        var inputLanes = inputs.Length == InputLength && SharesInput ? 1 : batch;
        var b = buffers is { Batch: var lanes, InputLanes: var shared } && lanes == batch && shared == inputLanes
            ? buffers : Reallocate(batch, inputLanes);
        for (var lane = 0; lane < b.Inputs.Length; lane += inputs.Length)
            inputs.CopyTo(b.Inputs, lane);
        if (stateSize == 0)
        {
            session.Run(runOptions, inputNames, [b.InputValue], outputNames, [b.LogitsValue]);
            return new StepOutput(b.Logits, []);
        }
        // h(t-1) is read from one state buffer and h(t) written to the other; a state we returned comes back uncopied.
        var input = ReferenceEquals(state, b.States[1]) ? 1 : 0;
        if (!ReferenceEquals(state, b.States[input])) state.CopyTo(b.States[input], 0);
        var output = 1 - input;
        session.Run(runOptions, inputNames, [b.InputValue, b.StateValues[input]], outputNames, [b.LogitsValue, b.StateValues[output]]);
        return new StepOutput(b.Logits, b.States[output]);
    }

    private Buffers Reallocate(int batch, int inputLanes)
    {
        buffers?.Dispose();
        return buffers = new Buffers(batch, inputLanes, this);
    }

    public void Dispose()
    {
        buffers?.Dispose();
        runOptions.Dispose();
        session.Dispose();
    }

    /// <summary>Arrays of one batch size (and input lanes: 1 or the batch) and the ONNX Runtime values that wrap them (pinned, no copies).</summary>
    private sealed class Buffers : IDisposable
    {
        public Buffers(int batch, int inputLanes, OnnxStepSession step)
        {
            Batch = batch;
            InputLanes = inputLanes;
            Inputs = new float[inputLanes * step.InputLength];
            Logits = new float[batch * step.classes];
            States = [new float[batch * step.stateSize], new float[batch * step.stateSize]];
            InputValue = OrtValue.CreateTensorValueFromMemory(Inputs, [inputLanes, .. step.InputShape]);
            LogitsValue = OrtValue.CreateTensorValueFromMemory(Logits, [batch, step.classes]);
            StateValues = [.. States.Select(s => OrtValue.CreateTensorValueFromMemory(s, [batch, step.stateSize]))];
        }

        public int Batch { get; }
        public int InputLanes { get; }
        public float[] Inputs { get; }
        public float[] Logits { get; }
        public float[][] States { get; }
        public OrtValue InputValue { get; }
        public OrtValue LogitsValue { get; }
        public OrtValue[] StateValues { get; }

        public void Dispose()
        {
            InputValue.Dispose();
            LogitsValue.Dispose();
            foreach (var value in StateValues) value.Dispose();
        }
    }
}
