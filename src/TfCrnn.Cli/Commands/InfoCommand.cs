using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TfCrnn.Models;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn info</c>: size and cost of every variant.</summary>
internal static class InfoCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static Command Create()
    {
        var json = SharedOptions.Json("[{\"model\", \"parameters\", \"macs\", \"steps\", \"window\", \"hop\"}] instead of a table");
        var width = SharedOptions.Width();
        var command = new Command("info", "Parameters, multiply-accumulates per one-second clip, steps, window and hop of every variant.")
        {
            json, width,
        };
        command.SetAction(parse =>
        {
            var summaries = ModelSummary.All(parse.GetValue(width));
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(summaries, JsonOptions));
            else
                AnsiConsole.Write(Table(summaries));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Table Table(IEnumerable<ModelSummary> summaries)
    {
        var table = new Table().AddColumns("model", "parameters", "GMACs / clip", "steps", "window", "hop");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var s in summaries)
            table.AddRow(s.Model, s.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                (s.Macs / 1e9).ToString("0.00", CultureInfo.InvariantCulture), s.Steps.ToString(CultureInfo.InvariantCulture),
                s.Window.ToString(CultureInfo.InvariantCulture), s.Hop.ToString(CultureInfo.InvariantCulture));
        return table;
    }
}
