using TfCrnn.Runtime;

namespace TfCrnn.Interop;

/// <summary>The library that runs a model for <c>predict</c>, <c>eval</c> and <c>stream</c>.</summary>
public enum InferenceEngine
{
    /// <summary>ONNX Runtime, which is faster and smaller on every model measured (bench/results/onnx.md): an exported folder as it is, a checkpoint exported in memory.</summary>
    Auto,

    /// <summary>TorchSharp (libtorch) on a checkpoint: run folder, model folder or weights file.</summary>
    Torch,

    /// <summary>ONNX Runtime (CPU) on a folder written by <c>tfcrnn export</c>, or on a checkpoint exported in memory.</summary>
    Onnx,
}

public static class InferenceEngines
{
    /// <summary>Whether <paramref name="checkpoint"/> is a folder written by <c>tfcrnn export</c>.</summary>
    public static bool IsExported(string checkpoint) => Directory.Exists(checkpoint) && ExportedModel.IsExportedFolder(checkpoint);

    /// <summary>The spellings of <c>--engine</c>, in the enum's order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetNames<InferenceEngine>().Select(n => n.ToLowerInvariant())];

    /// <summary>Reads an <c>--engine</c> value: <c>auto</c>, <c>torch</c> or <c>onnx</c> (any case).</summary>
    /// <exception cref="TfCrnnException">Any other value; the message lists the valid ones.</exception>
    public static InferenceEngine Parse(string name) =>
        Enum.TryParse<InferenceEngine>(name, ignoreCase: true, out var engine) && Names.Contains(name.ToLowerInvariant())
            ? engine
            : throw new TfCrnnException($"--engine: unknown engine '{name}'; expected one of {string.Join(", ", Names)}");

    /// <summary>The engine that runs <paramref name="checkpoint"/>: <paramref name="engine"/>, ONNX Runtime for Auto.</summary>
    /// <exception cref="TfCrnnException">TorchSharp asked to run an exported folder; the message says what can.</exception>
    public static InferenceEngine Resolve(string checkpoint, InferenceEngine engine) => engine switch
    {
        InferenceEngine.Torch when IsExported(checkpoint) => throw new TfCrnnException(
            $"--engine torch: {checkpoint} is an exported ONNX folder; use --engine onnx, or point --checkpoint at the run or model folder"),
        InferenceEngine.Torch => InferenceEngine.Torch,
        _ => InferenceEngine.Onnx,
    };
}
