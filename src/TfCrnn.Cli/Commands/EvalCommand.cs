using System.CommandLine;
using System.Globalization;
using TfCrnn.Cli.Rendering;
using TfCrnn.Evaluation;
using TfCrnn.Training;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn eval</c>: scores a checkpoint on a split (<see cref="Evaluator.RunAsync"/>).</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Run folder (its best checkpoint), model folder, .pt file with config.json beside it, or exported ONNX folder", Required = true };
        var data = new Option<string>("--data") { Description = "Speech Commands folder or .tar.gz", Required = true };
        var split = new Option<string>("--split") { Description = "Clips to score: train, valid, test, or all", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "valid", "test", "all");
        var output = new Option<string?>("--out") { Description = "Folder for eval.json, per_class.csv, confusion.csv/.png, predictions.csv (default: RUN/eval-SPLIT for a run folder, else ./eval-SPLIT)" };
        var json = new Option<bool>("--json") { Description = "Print {\"accuracy\", \"loss\", \"clips\", \"per_class\"} as JSON on stdout" };
        var batchSize = new Option<int>("--batch-size") { Description = "Clips per batch", DefaultValueFactory = _ => 64 };
        var threads = new Option<int>("--threads") { Description = "CPU threads of the engine (0: its default)", DefaultValueFactory = _ => 0 };
        var engine = EngineOption.Create();
        var snr = new Option<string?>("--snr")
        {
            Description = "Also score with noise mixed in at these signal-to-noise ratios in dB, comma-separated (e.g. 20,10,5,0): " +
                "accuracy and per-class recall per condition, generalization.json/.md in --out; --json prints that JSON",
            HelpName = "dB,...",
        };
        var noiseSeed = new Option<int>("--noise-seed") { Description = "Seed of each clip's noise with --snr (kind and stretch; the same at every SNR)", DefaultValueFactory = _ => 0 };

        var command = new Command("eval", "Evaluate a checkpoint: accuracy, loss, per-class precision/recall/F1, confusion matrix, per-clip predictions.")
        {
            checkpoint, data, split, output, json, batchSize, threads, engine, snr, noiseSeed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var checkpointPath = parse.GetRequiredValue(checkpoint);
            var splitName = parse.GetRequiredValue(split);
            var outputDirectory = parse.GetValue(output) ?? Path.Combine(
                RunFolder.IsRunFolder(checkpointPath) ? checkpointPath : ".", $"eval-{splitName}");
            if (parse.GetValue(snr) is { } snrList)
                return await Noisy(new GeneralizationOptions
                {
                    Checkpoint = checkpointPath,
                    DataPath = parse.GetRequiredValue(data),
                    Split = Enum.Parse<EvaluationSplit>(splitName, ignoreCase: true),
                    SnrDb = ParseSnr(snrList),
                    Seed = parse.GetValue(noiseSeed),
                    OutputDirectory = outputDirectory,
                    BatchSize = parse.GetValue(batchSize),
                    Threads = parse.GetValue(threads),
                    Engine = EngineOption.Value(parse, engine),
                }, parse.GetValue(json), cancellationToken);
            var options = new EvaluationOptions
            {
                Checkpoint = checkpointPath,
                DataPath = parse.GetRequiredValue(data),
                Split = Enum.Parse<EvaluationSplit>(splitName, ignoreCase: true),
                OutputDirectory = outputDirectory,
                BatchSize = parse.GetValue(batchSize),
                Threads = parse.GetValue(threads),
                Engine = EngineOption.Value(parse, engine),
            };
            var report = await ProgressDisplay.RunAsync(progress => Evaluator.RunAsync(options, progress, cancellationToken));
            if (parse.GetValue(json))
                Console.WriteLine(EvaluationFiles.ToJson(report));
            else
            {
                Console.WriteLine($"{splitName}: accuracy {report.Accuracy:P2}, loss {report.Loss:0.####}, {report.Clips} clips");
                if (report.Rejection is { } r)
                    Console.WriteLine($"rejected: {r.CorrectRejectionRate:P1} of {r.OtherClips} other-word clips, " +
                        $"{r.FalseRejectionRate:P1} of {r.KeywordClips} command clips (counted as misses above)");
            }
            Console.Error.WriteLine($"wrote {Path.GetFullPath(outputDirectory)}");
            return 0;
        });
        return command;
    }

    private static async Task<int> Noisy(GeneralizationOptions options, bool json, CancellationToken cancellationToken)
    {
        var report = await ProgressDisplay.RunAsync(progress => Generalization.RunAsync(options, progress, cancellationToken));
        if (json)
            Console.WriteLine(Generalization.ToJson(report));
        else
            foreach (var condition in report.Conditions)
                Console.WriteLine($"{condition.Name}: accuracy {condition.Report.Accuracy:P2}, loss {condition.Report.Loss:0.####}, {condition.Report.Clips} clips");
        Console.Error.WriteLine($"wrote {Path.GetFullPath(options.OutputDirectory!)}");
        return 0;
    }

    private static double[] ParseSnr(string list) => [.. list.Split(',').Select(item =>
        double.TryParse(item.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new TfCrnnException($"--snr: '{item.Trim()}' is not a number of dB; expected e.g. --snr 20,10,5,0"))];
}
