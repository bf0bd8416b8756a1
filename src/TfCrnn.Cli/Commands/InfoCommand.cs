using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TfCrnn.Models;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn info</c>: what every model of the registry is, its size and its cost.</summary>
internal static class InfoCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static Command Create()
    {
        var json = SharedOptions.Json("[{\"model\", \"front_end\", \"trunk\", \"head\", \"parameters\", \"macs\", \"steps\", \"window\", \"hop\", \"blocks\"}] instead of a table");
        var width = SharedOptions.Width();
        var stepMs = SharedOptions.StepMs();
        var windowMs = SharedOptions.WindowMs();
        var command = new Command("info",
            "Every model: front end, trunk, head, parameters, multiply-accumulates per one-second clip, steps, window, hop and blocks " +
            "(those with a settable step at --step-ms).")
        {
            json, width, stepMs, windowMs,
        };
        command.SetAction(parse =>
        {
            var summaries = ModelSummary.All(parse.GetValue(width), parse.GetValue(stepMs), parse.GetValue(windowMs));
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(summaries, JsonOptions));
            else
                AnsiConsole.Write(Table(summaries));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Sizes and costs, then what each model is built of (two tables, so that each fits a terminal).</summary>
    private static Rows Table(IReadOnlyList<ModelSummary> summaries)
    {
        var costs = new Table().AddColumns("model", "parameters", "MMACs / clip", "steps", "window", "hop", "blocks");
        costs.Columns[0].NoWrap();
        foreach (var column in costs.Columns.Skip(1)) column.RightAligned();
        var layers = new Table().AddColumns("model", "front end", "trunk", "head");
        layers.Columns[0].NoWrap();
        foreach (var s in summaries)
        {
            costs.AddRow(Markup.Escape(s.Model), s.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                (s.Macs / 1e6).ToString(s.Macs < 1e8 ? "N1" : "N0", CultureInfo.InvariantCulture), s.Steps.ToString(CultureInfo.InvariantCulture),
                s.Window.ToString(CultureInfo.InvariantCulture), s.Hop.ToString(CultureInfo.InvariantCulture),
                s.Blocks?.ToString(CultureInfo.InvariantCulture) ?? "–");
            layers.AddRow(Markup.Escape(s.Model), Markup.Escape(s.FrontEnd), Markup.Escape(s.Trunk), Markup.Escape(s.Head));
        }
        return new Rows(costs, layers);
    }
}
