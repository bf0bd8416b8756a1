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
}
