using System.CommandLine;
using TfCrnn.Analysis;
using TfCrnn.Cli.Rendering;
using TfCrnn.Progress;
using TfCrnn.Training;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn table plan|run|collect</c>: the paper's Table I, locally or as a Slurm job array.</summary>
internal static class TableCommand
{
    public static Command Create() => new("table", "Reproduce the paper's Table I: plan the 15 configurations × seeds, run them, collect the table.")
    {
        Plan(),
        Run(),
        Collect(),
    };

    private static Command Plan()
    {
        var data = SharedOptions.Data();
        var output = SharedOptions.Output("Plan folder to create (plan.json, jobs.tsv, slurm.sh, runs/)");
        var seeds = new Option<int>("--seeds") { Description = "Runs per configuration (seeds 0 … N−1)", DefaultValueFactory = _ => 3 };
        var width = SharedOptions.Width();
        var maxEpochs = new Option<int?>("--max-epochs") { Description = $"Epoch cap of every run (the paper: {TrainingOptions.PaperMaxEpochs})" };
        var limitTrain = new Option<int?>("--limit-train") { Description = "Train on a fixed subset of this many clips" };
        var batchSize = SharedOptions.BatchSize();
        var patience = new Option<int?>("--patience") { Description = "Epochs without improvement before the rate falls (the paper: 2)" };
        var threads = SharedOptions.Threads();
        threads.Description = $"Torch CPU threads of every run, and the CPUs each Slurm task requests (default: {TablePlanOptions.DefaultCpusPerTask} " +
                              "CPUs, one torch thread per physical core); slurm.sh's memory request follows --width and --batch-size";
        var device = new Option<string?>("--device") { Description = "cpu or cuda (cuda also requests a GPU in slurm.sh)" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var command = new Command("plan", "Write the job list, plan.json and a Slurm job-array script (one array task = one `tfcrnn train`).")
        {
            data, output, seeds, width, maxEpochs, limitTrain, batchSize, patience, threads, device,
        };
        command.SetAction(parse =>
        {
            // Options left at their defaults stay out of the plan, so that every run uses train's (the paper's) value.
            var options = new TablePlanOptions
            {
                DataPath = parse.GetRequiredValue(data),
                OutputDirectory = parse.GetRequiredValue(output),
                Seeds = parse.GetValue(seeds),
                Width = parse.Explicit(width),
                MaxEpochs = parse.GetValue(maxEpochs),
                LimitTrain = parse.GetValue(limitTrain),
                BatchSize = parse.Explicit(batchSize),
                Patience = parse.GetValue(patience),
                Threads = parse.Explicit(threads),
                Device = parse.GetValue(device),
            };
            var jobs = TablePlan.Write(options);
            var folder = Path.GetFullPath(options.OutputDirectory);
            Console.WriteLine($"{jobs.Count} runs planned in {folder} (each Slurm task: {options.CpusPerTask} CPUs, {options.MemoryGigabytes} GB)");
            Console.WriteLine($"  on a Slurm cluster: sbatch {Path.Combine(folder, TablePlan.SlurmFile)}");
            Console.WriteLine($"  here, one after another: tfcrnn table run --plan {folder}");
            Console.WriteLine($"  then: tfcrnn table collect --plan {folder}");
            return ExitCodes.Success;
        });
        return command;
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
        display.Report(new TaskProgress("Table I runs", report.Finished, report.Jobs));
        if (report is { Current: { } job, Training: { Phase: TrainingPhase.Training } training })
            display.Report(new TaskProgress(
                $"run {job.Index + 1}/{report.Jobs}: {job.Configuration.Variant} {job.Configuration.Io} seed {job.Seed}",
                (long)(training.Epoch - 1) * training.Batches + training.Batch, (long)training.MaxEpochs * training.Batches));
    }

    private static Command Collect()
    {
        var plan = PlanOption();
        var command = new Command("collect", "Write table1.md and table1.csv from the finished runs of a plan and print the table.") { plan };
        command.SetAction(parse =>
        {
            Console.Write(TableCollector.Write(parse.GetRequiredValue(plan)));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string> PlanOption() =>
        new("--plan") { Description = "Plan folder written by `tfcrnn table plan`", Required = true, HelpName = "folder" };
}
