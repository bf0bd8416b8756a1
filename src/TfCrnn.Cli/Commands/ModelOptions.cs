using System.CommandLine;
using TfCrnn.Models;

namespace TfCrnn.Cli.Commands;

/// <summary>Options that name a model variant and its width, shared by the model verbs.</summary>
internal static class ModelOptions
{
    public static Option<string> Variant(string description) =>
        new Option<string>("--model") { Description = description, Required = true }
            .AcceptOnlyFromAmong([.. ModelConfig.Variants]);

    public static Option<int> Width()
    {
        var option = new Option<int>("--width")
        {
            Description = "Channels of the stem and first block; later blocks scale with it (the paper: 128).",
            DefaultValueFactory = _ => 128,
        };
        option.Validators.Add(result =>
        {
            var width = result.GetValueOrDefault<int>();
            if (width < 8 || width % 8 != 0)
                result.AddError($"--width must be a positive multiple of 8, got {width}");
        });
        return option;
    }

    /// <summary><c>--precision fp32|bf16</c> of the inference verbs.</summary>
    public static Option<string> Precision() =>
        new Option<string>("--precision")
        {
            Description = "Arithmetic of the forward passes: fp32, or bf16 (about 2x faster on CPUs with AVX-512 BF16 or AMX; refused elsewhere)",
            DefaultValueFactory = _ => "fp32",
        }.AcceptOnlyFromAmong([.. InferenceOptions.PrecisionNames]);

    public static InferenceOptions Inference(ParseResult parse, Option<string> precision) =>
        new() { Precision = InferenceOptions.ParsePrecision(parse.GetRequiredValue(precision)) };
}
