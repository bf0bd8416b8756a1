using System.CommandLine;
using TfCrnn.Analysis;
using TfCrnn.Cli.Rendering;
using TfCrnn.Progress;
using TfCrnn.Training;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn table plan|steps|run|collect</c>: the paper's Table I or step-size grid, locally or as a Slurm job array.</summary>
internal static class TableCommand
{
    public static Command Create() => new("table",
        "Reproduce the paper's Table I or its step-size grid search: plan the runs as a Slurm job array, run them, collect the table.")
    {
        Plan(),
        Steps(),
        Run(),
        Collect(),
    };

    private static Command Plan()
    {
        var recipe = new PlanOptions();
        var stepMs = SharedOptions.StepMs();
        var windowMs = SharedOptions.WindowMs();
        var command = new Command("plan",
            "Table I: write the job list, plan.json and a Slurm job-array script (one array task = one `tfcrnn train`) for the " +
            "17 configurations × seeds (the nine variants, both output modes for the recurrent ones, and the two baselines).");
        recipe.AddTo(command);
        command.Options.Add(stepMs);
        command.Options.Add(windowMs);
        command.SetAction(parse => Write(recipe.Read(parse) with { StepMs = parse.GetValue(stepMs), WindowMs = parse.GetValue(windowMs) }));
        return command;
    }

    private static Command Steps()
    {
        var recipe = new PlanOptions();
        var blocks = new Option<string>("--blocks")
        {
            Description = $"Blocks to compare, comma-separated: {string.Join(",", StepGrid.BlockNames)} (default: all three)",
        };
        var io = new Option<string>("--io") { Description = "Output mode of every run", DefaultValueFactory = _ => TableOne.ManyToMany };
        io.AcceptOnlyFromAmong(TableOne.ManyToMany, TableOne.ManyToOne);
        var command = new Command("steps",
            "The paper's step-size grid search (Section III-C): plan the steps 12.5, 25, 50, 100, 250 ms (window = 2 × step) × " +
            "(CRNN, TF-CRNN) × blocks × seeds as a Slurm job array like `table plan`; `table collect` then writes accuracy " +
            "against step size with the cost of each setting.");
        recipe.AddTo(command);
        command.Options.Add(blocks);
        command.Options.Add(io);
        command.SetAction(parse => Write(recipe.Read(parse) with
        {
            Study = TableStudy.Steps,
            Blocks = parse.GetValue(blocks)?.Split(',', StringSplitOptions.TrimEntries),
            Io = parse.GetValue(io),
        }));
        return command;
    }

    private static int Write(TablePlanOptions options)
    {
        var jobs = TablePlan.Write(options);
        var folder = Path.GetFullPath(options.OutputDirectory);
        var plan = TablePlan.Load(folder);
        var groups = TablePlan.MemoryGroups(plan);
        var memory = groups.Count == 1 ? $"{groups[0].Gigabytes} GB" : $"{groups[0].Gigabytes} to {groups[^1].Gigabytes} GB by model";
        Console.WriteLine($"{jobs.Count} runs planned in {folder} (each Slurm task: {options.CpusPerTask} CPUs, {memory})");
        if (groups.Count == 1)
            Console.WriteLine($"  on a Slurm cluster: sbatch {Path.Combine(folder, TablePlan.SlurmFile)}");
        else
        {
            Console.WriteLine("  on a Slurm cluster, one job array per memory size:");
            foreach (var group in groups)
                Console.WriteLine($"    {group.SubmitCommand(plan)}");
        }
        Console.WriteLine($"  here, one after another: tfcrnn table run --plan {folder}");
        Console.WriteLine($"  then: tfcrnn table collect --plan {folder}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// The options <c>table plan</c> and <c>table steps</c> share: dataset, plan folder, seeds and the recipe overrides.
    /// Options left at their defaults stay out of the plan, so that every run uses train's (the paper's) value.
    /// </summary>
    private sealed class PlanOptions
    {
        private readonly Option<string> data = SharedOptions.Data();
        private readonly Option<string> output = SharedOptions.Output("Plan folder to create (plan.json, jobs.tsv, slurm.sh, runs/)");
        private readonly Option<int> seeds = new("--seeds") { Description = "Runs per configuration (seeds 0 … N−1)", DefaultValueFactory = _ => 3 };
        private readonly Option<int> width = SharedOptions.Width();
        private readonly Option<int?> maxEpochs = new("--max-epochs") { Description = $"Epoch cap of every run (the paper: {TrainingOptions.PaperMaxEpochs})" };
        private readonly Option<int?> limitTrain = new("--limit-train") { Description = "Train on a fixed subset of this many clips" };
        private readonly Option<int> batchSize = SharedOptions.BatchSize();
        private readonly Option<double?> learningRate = new("--lr") { Description = "Initial learning rate of every run (the paper: 0.025)" };
        private readonly Option<int?> patience = new("--patience") { Description = "Epochs without improvement before the rate falls (the paper: 2)" };
        private readonly Option<int> threads = ThreadsOption();
        private readonly Option<string?> device = new Option<string?>("--device") { Description = "cpu or cuda (cuda also requests a GPU in slurm.sh)" }
            .AcceptOnlyFromAmong("cpu", "cuda");

        private static Option<int> ThreadsOption()
        {
            var threads = SharedOptions.Threads();
            threads.Description = $"Torch CPU threads of every run, and the CPUs each Slurm task requests (default: {TablePlanOptions.DefaultCpusPerTask} " +
                                  "CPUs, one torch thread per physical core); slurm.sh's memory request follows the model, --width and --batch-size";
            return threads;
        }

        public void AddTo(Command command)
        {
            foreach (Option option in new Option[] { data, output, seeds, width, maxEpochs, limitTrain, batchSize, learningRate, patience, threads, device })
                command.Options.Add(option);
        }

        public TablePlanOptions Read(ParseResult parse) => new()
        {
            DataPath = parse.GetRequiredValue(data),
            OutputDirectory = parse.GetRequiredValue(output),
            Seeds = parse.GetValue(seeds),
            Width = parse.Explicit(width),
            MaxEpochs = parse.GetValue(maxEpochs),
            LimitTrain = parse.GetValue(limitTrain),
            BatchSize = parse.Explicit(batchSize),
            LearningRate = parse.GetValue(learningRate),
            Patience = parse.GetValue(patience),
            Threads = parse.Explicit(threads),
            Device = parse.GetValue(device),
        };
    }

    private static Command Run()
    {
        var plan = PlanOption();
        var threads = SharedOptions.Threads();
        threads.Description = "Torch CPU threads of every run (default: the plan's setting)";
        var command = new Command("run",
            "Train the plan's jobs here, one after another: finished runs are skipped, started ones resume, so a killed run continues.")
        {
            plan, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new TableRunOptions(parse.GetRequiredValue(plan), parse.Explicit(threads));
            return await Interruption.HandleAsync(async () =>
            {
                var summary = await ProgressDisplay.RunAsync(display => TableRunner.RunAsync(options,
                    new Progress<TableRunProgress>(report => Show(display, report)), cancellationToken));
                Console.WriteLine($"{summary.Trained} runs trained, {summary.Skipped} already finished, in {summary.WallSeconds:F0} s");
                Console.WriteLine($"  collect the table: tfcrnn table collect --plan {options.PlanDirectory}");
                return ExitCodes.Success;
            }, $"the current run is saved; continue with: tfcrnn table run --plan {options.PlanDirectory}", cancellationToken);
        });
        return command;
    }

    /// <summary>One bar for the whole plan and one for the run in progress (training batches over all epochs).</summary>
    private static void Show(IProgress<TaskProgress> display, TableRunProgress report)
    {
        display.Report(new TaskProgress("runs of the plan", report.Finished, report.Jobs));
        if (report is { Current: { } job, Training: { Phase: TrainingPhase.Training } training })
            display.Report(new TaskProgress(
                $"run {job.Index + 1}/{report.Jobs}: {job.Name}",
                (long)(training.Epoch - 1) * training.Batches + training.Batch, (long)training.MaxEpochs * training.Batches));
    }

    private static Command Collect()
    {
        var plan = PlanOption();
        var command = new Command("collect", "Write the table from the finished runs of a plan and print it: table1.md and table1.csv for Table I; " +
            "steps.md, steps.csv and steps.png (accuracy and cost against step size) for the step-size grid.") { plan };
        command.SetAction(parse =>
        {
            Console.Write(TableCollector.Write(parse.GetRequiredValue(plan)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string> PlanOption() =>
        new("--plan") { Description = "Plan folder written by `tfcrnn table plan` or `tfcrnn table steps`", Required = true, HelpName = "folder" };
}
