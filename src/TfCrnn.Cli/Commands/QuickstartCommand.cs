using TfCrnn.Quickstart;
using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Training;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn quickstart</c>: the README's main job (<see cref="Quickstart"/>).</summary>
internal static class QuickstartCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the dataset, the two run folders and report.md", DefaultValueFactory = _ => Path.Combine("out", "quickstart") };
        var data = new Option<string?>("--data") { Description = "Use this Speech Commands dataset instead of synthesising OUT/data" };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0: torch's default)", DefaultValueFactory = _ => 0 };
        var command = new Command("quickstart",
            "Synthesise the espeak-ng dataset if absent, train a reduced TF-CRNN (TF-Res-SE) and its CRNN, evaluate both, write report.md. " +
            "Runs that exist are reused or resumed.")
        {
            output, data, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new QuickstartOptions
            {
                OutputDirectory = parse.GetRequiredValue(output),
                DataPath = parse.GetValue(data),
                Threads = parse.GetValue(threads),
            };
            return await Interruption.HandleAsync(async () =>
            {
                var result = await TrainingProgressDisplay.RunAsync((training, tasks) =>
                    QuickstartPipeline.RunAsync(options, training, tasks, cancellationToken));
                foreach (var run in result.Runs)
                    Console.WriteLine($"{run.Variant}: test accuracy {run.Result.TestAccuracy:P2} (best epoch {run.Result.BestEpoch} of {run.Result.Epochs})");
                Console.WriteLine($"report: {result.ReportPath} ({result.WallSeconds:0} s)");
                return 0;
            }, "run the same command again to continue", cancellationToken);
        });
        return command;
    }
}
