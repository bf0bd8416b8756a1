using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Evaluation;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn eval</c>: scores a checkpoint on a split (<see cref="Evaluator.RunAsync"/>).</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = SharedOptions.Checkpoint();
        var data = SharedOptions.Data();
        var split = SharedOptions.Split("Clips to score");
        var output = SharedOptions.Output("Folder for eval.json, per_class.csv, confusion.csv/.png, predictions.csv " +
                                          "(default: RUN/eval-SPLIT for a run folder, else ./eval-SPLIT)", required: false);
        var json = SharedOptions.Json("{\"accuracy\", \"loss\", \"clips\", \"per_class\"}");
        var batchSize = SharedOptions.BatchSize();
        var threads = SharedOptions.Threads();
        var precision = SharedOptions.Precision();

        var command = new Command("eval", "Evaluate a checkpoint: accuracy, loss, per-class precision/recall/F1, confusion matrix, per-clip predictions.")
        {
            checkpoint, data, split, output, json, batchSize, threads, precision,
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
            };
            var report = await ProgressDisplay.RunAsync(progress => Evaluator.RunAsync(options, progress, cancellationToken));
            if (parse.GetValue(json))
                Console.WriteLine(EvaluationFiles.ToJson(report));
            else
                Console.WriteLine($"{splitValue.Name()}: accuracy {report.Accuracy:P2}, loss {report.Loss:0.####}, {report.Clips} clips");
            Console.Error.WriteLine($"wrote {Path.GetFullPath(options.OutputDirectory)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
