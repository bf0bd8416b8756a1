using System.CommandLine;
using TfCrnn.Interop;

namespace TfCrnn.Cli.Commands;

/// <summary><c>--engine</c> of the inference verbs (<see cref="InferenceEngine"/>).</summary>
internal static class EngineOption
{
    /// <summary>The option; its value is read in the verb's action (<see cref="Value"/>), so a bad one is an input error.</summary>
    public static Option<string> Create() =>
        new("--engine")
        {
            Description = "onnx: ONNX Runtime on a folder from tfcrnn export, or on a checkpoint exported in memory; torch: TorchSharp on a checkpoint; auto (default): onnx, the faster (bench/results/onnx.md)",
            HelpName = string.Join('|', InferenceEngines.Names),
            DefaultValueFactory = _ => "auto",
        };

    /// <exception cref="TfCrnnException">The value is not an engine.</exception>
    public static InferenceEngine Value(ParseResult parse, Option<string> option) => InferenceEngines.Parse(parse.GetRequiredValue(option));
}
