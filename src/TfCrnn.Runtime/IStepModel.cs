namespace TfCrnn.Runtime;

/// <summary>
/// One causal step of a model with its state kept outside: <c>(window (B, 1, W), h(t-1) (B, H)) → (logits (B, C), h(t) (B, H))</c>.
/// A batch holds independent lanes (streams, or one stream's lanes started at different times). An ONNX Runtime
/// session with exactly these inputs and outputs implements it directly; a model without state (the CNN over one
/// second) has <see cref="StepModelInfo.StateSize"/> 0 and ignores the state.
/// </summary>
public interface IStepModel : IDisposable
{
    StepModelInfo Info { get; }

    /// <param name="windows">
    /// (batch, 1, Window) scaled samples, row-major: batch × Window floats; or one window (Window floats) that every
    /// lane hears, as the lanes of one stream do, so that the layers before the state's first use may run once.
    /// </param>
    /// <param name="state">h(t-1), (batch, StateSize) row-major; zeros start a lane.</param>
    /// <param name="batch">Lanes in this call.</param>
    /// <returns>Logits (batch, classes) and h(t) (batch, StateSize), row-major.</returns>
    StepOutput Step(float[] windows, float[] state, int batch);
}

/// <summary>What <see cref="IStepModel.Step"/> returns, row-major.</summary>
/// <param name="Logits">(batch, classes).</param>
/// <param name="State">h(t), (batch, StateSize); empty for a model without state.</param>
public readonly record struct StepOutput(float[] Logits, float[] State);
