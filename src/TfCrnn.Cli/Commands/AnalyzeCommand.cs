using System.CommandLine;
using TfCrnn.Analysis;
using TfCrnn.Cli.Rendering;
using TfCrnn.Evaluation;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn analyze failure|trajectory|excitation</c>: the paper's three analyses (failure analysis, prediction trajectories, temporal excitation).</summary>
internal static class AnalyzeCommand
{
    public static Command Create() => new("analyze", "The paper's analyses as figures (PNG), numbers (CSV) and a markdown summary.")
    {
        Failure(),
        Trajectory(),
        Excitation(),
    };

    private static Command Failure()
    {
        var common = new CommonOptions("Commands to analyse, comma-separated (default: the three with the largest F1 gain)");
        var baseline = SharedOptions.Checkpoint("--baseline", "Baseline (e.g. the CRNN)");
        var candidate = SharedOptions.Checkpoint("--candidate", "Candidate (e.g. the TF-CRNN)");
        var command = new Command("failure", "Per-command F1 of two models, its difference, and confusion rows of the commands that changed most.")
        {
            baseline, candidate,
        };
        common.AddTo(command);
        command.SetAction((parse, cancellationToken) => Interruptible(cancellationToken, async () =>
        {
            var options = common.Apply(parse, new FailureAnalysisOptions
            {
                Baseline = parse.GetRequiredValue(baseline),
                Candidate = parse.GetRequiredValue(candidate),
                DataPath = parse.GetRequiredValue(common.Data),
                OutputDirectory = parse.GetRequiredValue(common.Output),
            });
            var output = await ProgressDisplay.RunAsync(progress => FailureAnalysis.RunAsync(options, progress, cancellationToken));
            Console.WriteLine($"F1 difference: {string.Join(", ", output.Result.AnalysedF1.Select(f => $"{f.Command} {f.Difference:+0.000;-0.000;0.000}"))}");
            PrintFiles(output.Files);
        }));
        return command;
    }

    private static Command Trajectory()
    {
        var common = new CommonOptions($"Commands to plot, comma-separated (default: {string.Join(",", TrajectoryAnalysis.DefaultWords)})");
        var checkpoint = SharedOptions.Checkpoint();
        var command = new Command("trajectory", "Mean softmax probability of each command and its confusers at every step (0.2 s … 1.0 s).")
        {
            checkpoint,
        };
        common.AddTo(command);
        command.SetAction((parse, cancellationToken) => Interruptible(cancellationToken, async () =>
        {
            var options = common.Apply(parse, ModelOptions(parse, checkpoint, common));
            var output = await ProgressDisplay.RunAsync(progress => TrajectoryAnalysis.RunAsync(options, progress, cancellationToken));
            PrintFiles(output.Files);
        }));
        return command;
    }

    private static Command Excitation()
    {
        var common = new CommonOptions($"Commands to plot, comma-separated (default: {string.Join(",", ExcitationAnalysis.DefaultWords)})");
        var checkpoint = SharedOptions.Checkpoint();
        var command = new Command("excitation",
            "TF-CRNN only: every block's mean excitation per step against the input's RMS energy, and their correlation per block.")
        {
            checkpoint,
        };
        common.AddTo(command);
        command.SetAction((parse, cancellationToken) => Interruptible(cancellationToken, async () =>
        {
            var options = common.Apply(parse, ModelOptions(parse, checkpoint, common));
            var output = await ProgressDisplay.RunAsync(progress => ExcitationAnalysis.RunAsync(options, progress, cancellationToken));
            var blocks = output.Result.Blocks;
            Console.WriteLine($"mean r(scale, energy): first block {ExcitationReport.Correlation(blocks[0].Mean)}, " +
                              $"last block {ExcitationReport.Correlation(blocks[^1].Mean)}; " +
                              $"the paper's finding is {(output.Result.PaperClaimHolds ? "reproduced" : "not reproduced")}");
            PrintFiles(output.Files);
        }));
        return command;
    }

    private static ModelAnalysisOptions ModelOptions(ParseResult parse, Option<string> checkpoint, CommonOptions common) => new()
    {
        Checkpoint = parse.GetRequiredValue(checkpoint),
        DataPath = parse.GetRequiredValue(common.Data),
        OutputDirectory = parse.GetRequiredValue(common.Output),
    };

    /// <summary>Ctrl+C ends an analysis with a line instead of a stack trace; it writes its files only at the end.</summary>
    private static Task<int> Interruptible(CancellationToken cancellationToken, Func<Task> analysis) =>
        Interruption.HandleAsync(async () =>
        {
            await analysis();
            return ExitCodes.Success;
        }, "", cancellationToken);

    private static void PrintFiles(IReadOnlyList<string> files)
    {
        foreach (var file in files) Console.WriteLine(file);
    }

    /// <summary>The options every analysis shares.</summary>
    private sealed class CommonOptions(string wordsDescription)
    {
        public Option<string> Data { get; } = SharedOptions.Data();
        public Option<string> Output { get; } = SharedOptions.Output("Folder for the PNG, CSV and markdown files");

        private readonly Option<string> split = SharedOptions.Split("Clips to analyse");
        private readonly Option<string?> words = new("--words") { Description = wordsDescription };
        private readonly Option<int> batchSize = SharedOptions.BatchSize();
        private readonly Option<int> threads = SharedOptions.Threads();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Data, Output, split, words, batchSize, threads })
                command.Options.Add(option);
        }

        public T Apply<T>(ParseResult parse, T options) where T : AnalysisOptions => options with
        {
            Split = EvaluationSplits.Parse(parse.GetRequiredValue(split)),
            Words = parse.GetValue(words)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            BatchSize = parse.GetValue(batchSize),
            Threads = parse.GetValue(threads),
        };
    }
}
