using System.CommandLine;
using TfCrnn.Interop;

namespace TfCrnn.Cli.Commands;

/// <summary><c>--engine</c> of the inference verbs (<see cref="InferenceEngine"/>).</summary>
internal static class EngineOption
{
    public static Option<InferenceEngine> Create() =>
        new Option<InferenceEngine>("--engine")
        {
            Description = "auto (default): ONNX Runtime for a folder written by tfcrnn export, TorchSharp for a checkpoint; torch; onnx",
            DefaultValueFactory = _ => InferenceEngine.Auto,
            CustomParser = result => Enum.Parse<InferenceEngine>(result.Tokens[0].Value, ignoreCase: true),
        }.AcceptOnlyFromAmong("auto", "torch", "onnx");
}
