using System.CommandLine;
using System.Globalization;
using TfCrnn.Interop;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn import</c>: converts a PyTorch state_dict into a model folder.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from-pytorch")
        {
            Description = "PyTorch state_dict file (torch.save) with the reference parameter names.",
            Required = true,
        };
        var model = SharedOptions.Model("Variant the weights belong to");
        var output = SharedOptions.Output("Model folder to write (config.json + model.pt)");
        var check = new Option<string?>("--check")
        {
            Description = "Reference io file (input, logits, hidden, excitation.block{i}): verify the converted model " +
                          "reproduces it within 1e-4 before writing; exit code 1 if it does not.",
        };
        var width = SharedOptions.Width();
        var command = new Command("import", "Convert PyTorch weights of a variant into a model folder that --checkpoint accepts.")
        {
            from, model, output, check, width,
        };
        command.SetAction(parse =>
        {
            var result = PyTorchImport.Run(new ImportOptions
            {
                FromPyTorch = parse.GetRequiredValue(from),
                Model = parse.GetRequiredValue(model),
                OutputDirectory = parse.GetRequiredValue(output),
                CheckPath = parse.GetValue(check),
                Width = parse.GetValue(width),
            });
            if (result.Parity is not null)
                Console.Write(FormatParity(result.Parity));
            if (!result.Written)
            {
                Console.Error.WriteLine($"error: parity check failed; {result.OutputDirectory} was not written");
                return ExitCodes.Failure;
            }
            Console.WriteLine($"wrote {Path.GetFullPath(result.OutputDirectory)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One line per compared tensor (<c>logits max_abs_diff=1.2e-06</c>), then <c>parity ok</c> or <c>parity FAILED</c>.</summary>
    public static string FormatParity(ParityReport report)
    {
        var lines = report.Differences.Select(d => double.IsFinite(d.MaxAbsDiff)
            ? $"{d.Name} max_abs_diff={d.MaxAbsDiff.ToString("0.0e+00", CultureInfo.InvariantCulture)}"
            : $"{d.Name} missing or mis-shaped").ToList();
        lines.Add($"predictions {(report.PredictionsEqual ? "equal" : "DIFFER")}");
        lines.Add(report.Passed ? "parity ok" : "parity FAILED");
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
