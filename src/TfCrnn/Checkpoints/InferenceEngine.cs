using TfCrnn.Models;
using TfCrnn.Runtime;

namespace TfCrnn.Checkpoints;

/// <summary>The library that runs a model for <c>predict</c>, <c>eval</c> and <c>stream</c>.</summary>
public enum InferenceEngine
{
    /// <summary>
    /// ONNX Runtime, which is faster and smaller on every model measured (bench/results/onnx.md): an exported folder as
    /// it is, a checkpoint exported in memory. TorchSharp where bfloat16 is asked, which only it runs.
    /// </summary>
    Auto,

    /// <summary>TorchSharp (libtorch) on a checkpoint, through <see cref="InferenceModel"/>: run folder, model folder or weights file.</summary>
    Torch,

    /// <summary>ONNX Runtime (CPU, float32) on a folder written by <c>tfcrnn export</c>, or on a checkpoint exported in memory.</summary>
    Onnx,
}

internal static class InferenceEngines
{
    /// <summary>Whether <paramref name="checkpoint"/> is a folder written by <c>tfcrnn export</c>.</summary>
    public static bool IsExported(string checkpoint) => Directory.Exists(checkpoint) && ExportedModel.IsExportedFolder(checkpoint);

    /// <summary>The spellings of <c>--engine</c>, in the enum's order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetNames<InferenceEngine>().Select(n => n.ToLowerInvariant())];

    /// <summary>Reads an <c>--engine</c> value: <c>auto</c>, <c>torch</c> or <c>onnx</c>.</summary>
    /// <exception cref="OptionException">Any other value; the message lists the valid ones.</exception>
    public static InferenceEngine Parse(string name)
    {
        OptionChecks.OneOf("--engine", name, Names);
        return Enum.Parse<InferenceEngine>(name, ignoreCase: true);
    }

    /// <summary>Checks that <paramref name="precision"/> runs on <paramref name="engine"/>: bfloat16 only on TorchSharp.</summary>
    /// <exception cref="OptionException"><c>--engine onnx</c> with <c>--precision bf16</c>.</exception>
    public static void Check(InferenceEngine engine, InferencePrecision precision)
    {
        if (engine == InferenceEngine.Onnx && precision == InferencePrecision.BFloat16)
            throw new OptionException("--precision", "bf16 runs on the torch engine only (ONNX Runtime runs fp32): use --engine torch or auto, or --precision fp32");
    }

    /// <summary>
    /// The engine that runs <paramref name="checkpoint"/>: <paramref name="engine"/>; for Auto, ONNX Runtime, or
    /// TorchSharp when <paramref name="precision"/> is bfloat16 or the model hears a frozen front end (in predict and eval, a
    /// checkpoint of a head over the speech embedding runs its front end in C# and ONNX Runtime and its head in TorchSharp;
    /// streaming opens it on either engine: <see cref="Streaming.StepModels"/>).
    /// </summary>
    /// <exception cref="TfCrnnException">TorchSharp asked or needed for an exported folder, or ONNX Runtime for a model over a
    /// frozen front end; the message says what can run it.</exception>
    public static InferenceEngine Resolve(string checkpoint, InferenceEngine engine, InferencePrecision precision = InferencePrecision.Float32)
    {
        Check(engine, precision);
        if (!IsExported(checkpoint) && CheckpointLocator.ReadConfig(checkpoint) is { Model.FrontEnd.Kind: FrontEndKind.Frozen } frozen)
            return engine != InferenceEngine.Onnx ? InferenceEngine.Torch
                : throw new OptionException("--engine", $"onnx: {checkpoint} holds {frozen.Variant}, which hears the " +
                    $"{frozen.Model.FrontEnd.Name} front end; predict and eval run it on the torch engine (--engine torch or auto), stream and " +
                    "stream-eval on either");
        if (engine == InferenceEngine.Onnx || (engine == InferenceEngine.Auto && precision == InferencePrecision.Float32))
            return InferenceEngine.Onnx;
        if (IsExported(checkpoint))
            throw engine == InferenceEngine.Torch
                ? new OptionException("--engine", $"torch: {checkpoint} is an exported ONNX folder; use --engine onnx, or point --checkpoint at the run or model folder")
                : new OptionException("--precision", $"bf16: {checkpoint} is an exported ONNX folder, which runs in fp32; use --precision fp32, or point --checkpoint at the run or model folder");
        return InferenceEngine.Torch;
    }
}
