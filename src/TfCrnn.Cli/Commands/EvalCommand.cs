using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Evaluation;

namespace TfCrnn.Cli.Commands;

/// <summary>
/// <c>tfcrnn eval</c>: scores a checkpoint on a split (<see cref="Evaluator.RunAsync"/>), with <c>--snr</c> clean and
/// noisy (<see cref="Generalization.RunAsync"/>), or with <c>--twelve-label</c> as the 12-label benchmark
/// (<see cref="TwelveLabelBenchmark.RunAsync"/>).
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
        var twelveLabel = new Option<bool>("--twelve-label")
        {
            Description = "Score --data as the 12-label benchmark, a folder in the official test set's layout (yes, no, up, down, left, " +
                "right, on, off, stop, go, _unknown_, _silence_), for a model of any label set with the ten words: a clip of one of " +
                "the ten is right when the top word is that word, any other clip when the top word is not one of the ten; keyword " +
                "and non-keyword accuracy apart, twelve_label.json and twelve_label_predictions.csv in --out (--split is not used)",
        };
        var encoder = SharedOptions.Encoder();
        var embeddingCache = SharedOptions.EmbeddingCache();
        var noiseSeed = new Option<int>("--noise-seed") { Description = "Seed of each clip's noise with --snr (kind and stretch; the same at every SNR)", DefaultValueFactory = _ => 0 };

        var command = new Command("eval", "Evaluate a checkpoint: accuracy, loss, per-class precision/recall/F1, confusion matrix, per-clip predictions.")
        {
            checkpoint, data, split, output, json, batchSize, threads, precision, engine, snr, noiseSeed, twelveLabel, encoder, embeddingCache,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            EvaluationOptions.CheckMode(parse.Given());
            var splitValue = EvaluationSplits.Parse(parse.GetRequiredValue(split));
            var options = new EvaluationOptions
            {
                Checkpoint = parse.GetRequiredValue(checkpoint),
                DataPath = parse.GetRequiredValue(data),
                Split = splitValue,
                OutputDirectory = parse.GetValue(output) ?? (parse.GetValue(twelveLabel)
                    ? TwelveLabelBenchmark.DefaultOutputDirectory(parse.GetRequiredValue(checkpoint))
                    : EvaluationOptions.DefaultOutputDirectory(parse.GetRequiredValue(checkpoint), splitValue)),
                BatchSize = parse.GetValue(batchSize),
                Threads = parse.GetValue(threads),
                Inference = parse.Inference(precision),
                Engine = parse.Engine(engine),
                TwelveLabel = parse.GetValue(twelveLabel),
                EncoderDirectory = parse.GetValue(encoder),
                EmbeddingCache = parse.GetValue(embeddingCache),
            };
            if (parse.GetValue(snr) is { } snrList)
                return await Noisy(new GeneralizationOptions
                {
                    Evaluation = options,
                    SnrDb = GeneralizationOptions.ParseSnr(snrList),
                    Seed = parse.GetValue(noiseSeed),
                }, parse.GetValue(json), cancellationToken);
            if (options.TwelveLabel)
                return await TwelveLabel(options, parse.GetValue(json), cancellationToken);
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

    private static async Task<int> TwelveLabel(EvaluationOptions options, bool json, CancellationToken cancellationToken)
    {
        var report = await ProgressDisplay.RunAsync(progress => TwelveLabelBenchmark.RunAsync(options, progress, cancellationToken));
        if (json)
            Console.WriteLine(TwelveLabelBenchmark.ToJson(report));
        else
            Console.WriteLine($"12-label: accuracy {report.Accuracy:P2} of {report.Clips} clips; the ten words {report.KeywordAccuracy:P2} " +
                $"({report.Keywords.Correct}/{report.Keywords.Clips}), other clips not taken for one of the ten {report.NonKeywordAccuracy:P2} " +
                $"({report.NonKeywords.Correct}/{report.NonKeywords.Clips})");
        Console.Error.WriteLine($"wrote {Path.GetFullPath(options.OutputDirectory!)}");
        return ExitCodes.Success;
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
