using TfCrnn.Checkpoints;
using TfCrnn.Interop.Onnx;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;

namespace TfCrnn.Streaming;

/// <summary>The step model of a checkpoint on either <see cref="InferenceEngine"/>.</summary>
public static class StepModels
{
    /// <param name="threads">ONNX Runtime intra-op threads (0: one per core); TorchSharp's are set by the caller.</param>
    public static IStepModel Open(string checkpoint, InferenceEngine engine, int threads)
    {
        if (InferenceEngines.Resolve(checkpoint, engine) == InferenceEngine.Torch)
            return TorchStepModel.Load(checkpoint);
        var (graph, name) = OnnxExport.Graph(checkpoint, OnnxMetadata.StepFile);
        return OnnxStepModel.Load(graph, name, threads);
    }
}
