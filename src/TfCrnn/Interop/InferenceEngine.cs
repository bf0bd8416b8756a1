using TfCrnn.Runtime;

namespace TfCrnn.Interop;

/// <summary>The library that runs a model for <c>predict</c>, <c>eval</c> and <c>stream</c>.</summary>
public enum InferenceEngine
{
    /// <summary>ONNX Runtime for an exported folder, TorchSharp for a checkpoint.</summary>
    Auto,

    /// <summary>TorchSharp (libtorch) on a checkpoint: run folder, model folder or weights file.</summary>
    Torch,

    /// <summary>ONNX Runtime (CPU) on a folder written by <c>tfcrnn export</c>.</summary>
    Onnx,
}

public static class InferenceEngines
{
    /// <summary>The engine that runs <paramref name="checkpoint"/>: <paramref name="engine"/>, or the one that can when Auto.</summary>
    /// <exception cref="TfCrnnException">The engine cannot run that kind of checkpoint; the message says what can.</exception>
    public static InferenceEngine Resolve(string checkpoint, InferenceEngine engine)
    {
        var exported = Directory.Exists(checkpoint) && ExportedModel.IsExportedFolder(checkpoint);
        return (engine, exported) switch
        {
            (InferenceEngine.Auto, true) or (InferenceEngine.Onnx, true) => InferenceEngine.Onnx,
            (InferenceEngine.Auto, false) or (InferenceEngine.Torch, false) => InferenceEngine.Torch,
            (InferenceEngine.Torch, true) => throw new TfCrnnException(
                $"--engine torch: {checkpoint} is an exported ONNX folder; use --engine onnx, or point --checkpoint at the run or model folder"),
            _ => throw new TfCrnnException(
                $"--engine onnx: {checkpoint} is not an exported folder (step.onnx + clip.onnx); write one with tfcrnn export --checkpoint {checkpoint} --out FOLDER"),
        };
    }
}
