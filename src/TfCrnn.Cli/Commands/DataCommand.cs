using System.CommandLine;
using Spectre.Console;
using TfCrnn.Cli.Rendering;
using TfCrnn.Data;
using TfCrnn.RealSpeech;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn data</c>: dataset inspection verbs, and laying real recordings into a dataset folder.</summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Inspect a Speech Commands dataset, or add real recordings to one.") { CreateStats(), CreateImportReal() };

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

    private static Command CreateImportReal()
    {
        var from = new Option<string>("--from") { Description = "Folder of the source's recordings (searched for .wav files)", Required = true, HelpName = "folder" };
        var layout = new Option<string>("--layout")
        {
            Description = "How the source names its clips: speech-commands (WORD/SPEAKER_nohash_N.wav or WORD_SPEAKER_nohash_N.wav; only " +
                "speakers the dataset's hash rule puts in its training split are kept), fsdd (DIGIT_SPEAKER_INDEX.wav), words " +
                "(WORD/NAME.wav: a folder a word or phrase, a file a speaker unless --speaker names one) or noise (NAME.wav: a " +
                "noise recording cut into one-second _silence_ clips; --max-per-word caps each recording's)",
            Required = true,
        }.AcceptOnlyFromAmong([.. RealImportOptions.LayoutNames]);
        var output = SharedOptions.Output("Dataset folder to add the clips to (WORD/SPEAKER_nohash_N.wav, 16 kHz mono, 1 s) and provenance.csv");
        var source = new Option<string>("--source") { Description = "The source's name for provenance.csv, e.g. Jakobovski/free-spoken-digit-dataset", Required = true, HelpName = "name" };
        var licence = new Option<string>("--licence") { Description = "The source's licence as its repository states it, e.g. CC-BY-SA-4.0", Required = true, HelpName = "id" };
        var commit = new Option<string>("--commit") { Description = "The source's revision, for provenance.csv", DefaultValueFactory = _ => "", HelpName = "sha" };
        var speakers = new Option<string?>("--speakers") { Description = "Only these speakers, comma-separated, as the source names them", HelpName = "a,b,..." };
        var exclude = new Option<string?>("--exclude-speakers") { Description = "Never these speakers, comma-separated (e.g. a dev set's)", HelpName = "a,b,..." };
        var maxPerWord = new Option<int>("--max-per-word") { Description = "At most this many clips per word, speakers taking turns (0: all)", DefaultValueFactory = _ => 0 };
        var speaker = new Option<string?>("--speaker") { Description = "With --layout words: the one speaker of every file (letters, digits, '-')", HelpName = "name" };
        var json = SharedOptions.Json("{\"imported\", \"refused_validation\", \"refused_test\", \"unnamed\", \"unreadable\", \"left_out\", \"speakers\", \"provenance\"}");
        var command = new Command("import-real", "Add real recordings to a dataset folder in the Speech Commands layout, with a provenance row " +
            "(source, original file, speaker, licence, commit) for every clip. Speech Commands speakers outside the training split are refused.")
        {
            from, layout, output, source, licence, commit, speakers, exclude, maxPerWord, speaker, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var report = RealSpeechImport.Run(new RealImportOptions
            {
                SourceDirectory = parse.GetRequiredValue(from),
                Layout = parse.GetRequiredValue(layout),
                OutputDirectory = parse.GetRequiredValue(output),
                SourceName = parse.GetRequiredValue(source),
                Licence = parse.GetRequiredValue(licence),
                Commit = parse.GetRequiredValue(commit),
                Speakers = SharedOptions.List(parse.GetValue(speakers)),
                ExcludeSpeakers = SharedOptions.List(parse.GetValue(exclude)),
                MaxPerWord = parse.GetValue(maxPerWord),
                Speaker = parse.GetValue(speaker),
            }, cancellationToken);
            foreach (var warning in report.Warnings)
                Console.Error.WriteLine($"warning: {warning}");
            if (parse.GetValue(json))
                Console.WriteLine(report.ToJson());
            else
                Console.WriteLine($"imported {report.Imported} clips of {report.Speakers.Count} speaker{(report.Speakers.Count == 1 ? "" : "s")}; refused {report.RefusedValidation} " +
                    $"validation-speaker and {report.RefusedTest} test-speaker clips; {report.LeftOut} left out by the filters, " +
                    $"{report.Unreadable} unreadable; " +
                    $"provenance in {report.ProvenancePath}");
            return Task.FromResult(ExitCodes.Success);
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
