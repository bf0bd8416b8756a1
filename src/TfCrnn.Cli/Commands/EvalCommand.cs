using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Evaluation;

namespace TfCrnn.Cli.Commands;

/// <summary>
/// <c>tfcrnn eval</c>: scores a checkpoint on a split (<see cref="Evaluator.RunAsync"/>), or with <c>--snr</c> clean and
/// noisy (<see cref="Generalization.RunAsync"/>).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint(exported: true);
        var data = SharedOptions.Data();
        var split = SharedOptions.Split("Clips to score");
        var output = SharedOptions.Output("Folder for eval.json, per_class.csv, confusion.csv/.png, predictions.csv " +
                                          "(default: RUN/eval-SPLIT for a run folder, else ./eval-SPLIT)", required: false);
        var json = SharedOptions.Json("{\"accuracy\", \"loss\", \"clips\", \"per_class\"}");
        var batchSize = SharedOptions.BatchSize();
        var threads = SharedOptions.Threads();
        var precision = SharedOptions.Precision();
        var engine = SharedOptions.Engine();
        var snr = new Option<string?>("--snr")
        {
            Description = "Also score with noise mixed in at these signal-to-noise ratios in dB, comma-separated (e.g. 20,10,5,0): " +
                "accuracy and per-class recall per condition, generalization.json/.md in --out; --json prints that JSON",
            HelpName = "dB,...",
        };
        var noiseSeed = new Option<int>("--noise-seed") { Description = "Seed of each clip's noise with --snr (kind and stretch; the same at every SNR)", DefaultValueFactory = _ => 0 };

        var command = new Command("eval", "Evaluate a checkpoint: accuracy, loss, per-class precision/recall/F1, confusion matrix, per-clip predictions.")
        {
            checkpoint, data, split, output, json, batchSize, threads, precision, engine, snr, noiseSeed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var splitValue = EvaluationSplits.Parse(parse.GetRequiredValue(split));
            var options = new EvaluationOptions
            {
                Checkpoint = parse.GetRequiredValue(checkpoint),
                DataPath = parse.GetRequiredValue(data),
                Split = splitValue,
                OutputDirectory = parse.GetValue(output) ?? EvaluationOptions.DefaultOutputDirectory(parse.GetRequiredValue(checkpoint), splitValue),
                BatchSize = parse.GetValue(batchSize),
                Threads = parse.GetValue(threads),
                Inference = parse.Inference(precision),
                Engine = parse.Engine(engine),
            };
            if (parse.GetValue(snr) is { } snrList)
                return await Noisy(new GeneralizationOptions
                {
                    Evaluation = options,
                    SnrDb = GeneralizationOptions.ParseSnr(snrList),
                    Seed = parse.GetValue(noiseSeed),
                }, parse.GetValue(json), cancellationToken);
            var report = await ProgressDisplay.RunAsync(progress => Evaluator.RunAsync(options, progress, cancellationToken));
            if (parse.GetValue(json))
                Console.WriteLine(EvaluationFiles.ToJson(report));
            else
            {
                Console.WriteLine($"{splitValue.Name()}: accuracy {report.Accuracy:P2}, loss {report.Loss:0.####}, {report.Clips} clips");
                if (report.Rejection is { } r)
                    Console.WriteLine($"rejected: {r.CorrectRejectionRate:P1} of {r.OtherClips} other-word clips, " +
                        $"{r.FalseRejectionRate:P1} of {r.KeywordClips} command clips (counted as misses above)");
            }
            Console.Error.WriteLine($"wrote {Path.GetFullPath(options.OutputDirectory)}");
            return ExitCodes.Success;
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
        Console.Error.WriteLine($"wrote {Path.GetFullPath(options.Evaluation.OutputDirectory!)}");
        return ExitCodes.Success;
    }
}
