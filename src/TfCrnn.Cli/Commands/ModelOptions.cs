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

    /// <summary><c>--step-ms</c>: the recurrent models' step (the window is twice it); validated by <see cref="ModelConfig.WithStep"/>.</summary>
    public static Option<double?> StepMs() => new("--step-ms")
    {
        Description = "Recurrent models: milliseconds between steps, the window being twice the step (default 100; the " +
                      "paper's grid: 12.5, 25, 50, 100, 250). A whole number of samples at 16 kHz (multiples of 0.0625). " +
                      "The block count follows the window: int(log3(window samples)) - 1.",
        HelpName = "ms",
    };

    /// <summary><c>--window-ms</c>: the recurrent models' window itself, instead of twice the step.</summary>
    public static Option<double?> WindowMs() => new("--window-ms")
    {
        Description = "Recurrent models: the window in milliseconds instead of 2 x --step-ms. The step is then half the " +
                      "window (window div 2 samples), as in the authors' code; at most 1000.",
        HelpName = "ms",
    };
}
