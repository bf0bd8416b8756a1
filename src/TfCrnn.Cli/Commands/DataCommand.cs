using System.CommandLine;
using Spectre.Console;
using TfCrnn.Cli.Rendering;
using TfCrnn.Data;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn data</c>: dataset inspection verbs.</summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Inspect a Speech Commands dataset.") { CreateStats() };

    private static Command CreateStats()
    {
        var data = SharedOptions.Data();
        var json = SharedOptions.Json("{\"splits\": {SPLIT: {\"clips\", \"labels\"}}, \"short_clips\", \"labels\"} instead of a table");
        var noCache = new Option<bool>("--no-cache") { Description = "Read the WAV files directly instead of building or using the decoded cache" };
        var command = new Command("stats", "Clips per split and label, clips shorter than one second; unusable clips (not 16 kHz, unreadable) are listed on stderr.") { data, json, noCache };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (statistics, warnings) = await ProgressDisplay.RunAsync(progress =>
                DatasetStatistics.ComputeAsync(parse.GetRequiredValue(data), !parse.GetValue(noCache), progress, cancellationToken));
            foreach (var warning in warnings)
                Console.Error.WriteLine($"warning: {warning}");
            if (parse.GetValue(json))
                Console.WriteLine(statistics.ToJson());
            else
            {
                AnsiConsole.Write(Table(statistics));
                Console.WriteLine($"{statistics.LabelCount} labels, {statistics.ShortClips} clips shorter than one second, " +
                    $"{statistics.BackgroundNoise.Recordings} background-noise recordings ({statistics.BackgroundNoise.Seconds:0.#} s)");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Table Table(DatasetStatistics statistics)
    {
        var splits = Enum.GetValues<Split>().Select(DatasetStatistics.SplitKey).ToList();
        var table = new Table().AddColumn("label");
        foreach (var split in splits)
            table.AddColumn(new TableColumn(split).RightAligned());
        var labels = splits.SelectMany(s => statistics.Splits[s].Labels.Keys).Distinct().Order(StringComparer.Ordinal);
        foreach (var label in labels)
            table.AddRow([Markup.Escape(label), .. splits.Select(s => statistics.Splits[s].Labels.GetValueOrDefault(label).ToString())]);
        table.AddRow(["[bold]all[/]", .. splits.Select(s => $"[bold]{statistics.Splits[s].Clips}[/]")]);
        return table;
    }
}
