using System.CommandLine;
using TfCrnn.Interop;

namespace TfCrnn.Cli.Commands;

/// <summary><c>--engine</c> of the inference verbs (<see cref="InferenceEngine"/>).</summary>
internal static class EngineOption
{
    public static Option<InferenceEngine> Create() =>
        new Option<InferenceEngine>("--engine")
        {
            Description = "onnx: ONNX Runtime on a folder from tfcrnn export, or on a checkpoint exported in memory; torch: TorchSharp on a checkpoint; auto (default): onnx, the faster (bench/results/onnx.md)",
            DefaultValueFactory = _ => InferenceEngine.Auto,
            CustomParser = result => Enum.Parse<InferenceEngine>(result.Tokens[0].Value, ignoreCase: true),
        }.AcceptOnlyFromAmong("auto", "torch", "onnx");
}
