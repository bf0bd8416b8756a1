using System.CommandLine;
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

        var command = new Command("eval", "Evaluate a checkpoint: accuracy, loss, per-class precision/recall/F1, confusion matrix, per-clip predictions.")
        {
            checkpoint, data, split, output, json, batchSize, threads, engine,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var checkpointPath = parse.GetRequiredValue(checkpoint);
            var splitName = parse.GetRequiredValue(split);
            var outputDirectory = parse.GetValue(output) ?? Path.Combine(
                RunFolder.IsRunFolder(checkpointPath) ? checkpointPath : ".", $"eval-{splitName}");
            var options = new EvaluationOptions
            {
                Checkpoint = checkpointPath,
                DataPath = parse.GetRequiredValue(data),
                Split = Enum.Parse<EvaluationSplit>(splitName, ignoreCase: true),
                OutputDirectory = outputDirectory,
                BatchSize = parse.GetValue(batchSize),
                Threads = parse.GetValue(threads),
                Engine = parse.GetValue(engine),
            };
            var report = await ProgressDisplay.RunAsync(progress => Evaluator.RunAsync(options, progress, cancellationToken));
            if (parse.GetValue(json))
                Console.WriteLine(EvaluationFiles.ToJson(report));
            else
                Console.WriteLine($"{splitName}: accuracy {report.Accuracy:P2}, loss {report.Loss:0.####}, {report.Clips} clips");
            Console.Error.WriteLine($"wrote {Path.GetFullPath(outputDirectory)}");
            return 0;
        });
        return command;
    }
}
