namespace TfCrnn.Runtime;

/// <summary>
/// What follows a frozen front end in a step model (the head), one step: features <c>(1 or batch, F)</c> and h(t-1)
/// <c>(batch, H)</c> → logits <c>(batch, C)</c> and h(t) <c>(batch, H)</c>, row-major. One row of features is heard by
/// every lane. The exported step graph of such a model (ONNX Runtime) or its TorchSharp head implements it.
/// </summary>
internal interface IHeadStep : IDisposable
{
    /// <param name="features">F values heard by every lane, or batch × F.</param>
    /// <param name="state">h(t-1), (batch, H); zeros start a lane.</param>
    /// <param name="batch">Lanes in this call.</param>
    StepOutput Step(float[] features, float[] state, int batch);
}
