using TfCrnn.Progress;
using TfCrnn.Training;

namespace TfCrnn.Analysis;

/// <summary><c>tfcrnn table run</c>: the plan folder whose jobs run here, one after another.</summary>
/// <param name="Threads">Torch threads per run; null = the plan's setting.</param>
internal sealed record TableRunOptions(string PlanDirectory, int? Threads = null)
{
    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public TableRunOptions Validate()
    {
        OptionChecks.Required("--plan", PlanDirectory);
        if (Threads is { } threads) OptionChecks.NotNegative("--threads", threads);
        return this;
    }
}

/// <summary>Where a local Table I run stands.</summary>
/// <param name="Finished">Jobs with a result, including skipped ones.</param>
/// <param name="Current">The job now training; null once all are done.</param>
/// <param name="Training">The current job's last training report, once it has one.</param>
internal sealed record TableRunProgress(int Finished, int Jobs, TableJob? Current, TrainingProgress? Training);

/// <summary>What a local Table I run did.</summary>
internal sealed record TableRunSummary(int Jobs, int Skipped, int Trained, double WallSeconds);

/// <summary>Runs a plan's jobs locally with <see cref="Trainer"/>, so that a killed <c>table run</c> resumes where it stopped.</summary>
internal static class TableRunner
{
    /// <summary>
    /// Runs every job in plan order: skips finished runs (<c>result.json</c>), resumes started ones from their
    /// <c>last</c> checkpoint, trains the rest. Cancelling saves the current run's state (the trainer does) and stops.
    /// </summary>
    public static async Task<TableRunSummary> RunAsync(TableRunOptions options, IProgress<TableRunProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var plan = TablePlan.Load(options.Validate().PlanDirectory);
        var jobs = plan.Jobs;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int finished = 0, skipped = 0;
        foreach (var job in jobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = new RunFolder(Path.Combine(plan.OutputDirectory, job.RunDirectory));
            if (File.Exists(folder.ResultPath))
            {
                skipped++;
                progress?.Report(new TableRunProgress(++finished, jobs.Count, null, null));
                continue;
            }
            var trainingProgress = new SynchronousProgress<TrainingProgress>(report =>
                progress?.Report(new TableRunProgress(finished, jobs.Count, job, report)));
            progress?.Report(new TableRunProgress(finished, jobs.Count, job, null));
            await Trainer.RunAsync(TrainingOptionsOf(plan, job, folder, options.Threads), trainingProgress, cancellationToken);
            progress?.Report(new TableRunProgress(++finished, jobs.Count, null, null));
        }
        return new TableRunSummary(jobs.Count, skipped, jobs.Count - skipped, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The same run as the job's <c>tfcrnn train</c> command line.</summary>
    internal static TrainingOptions TrainingOptionsOf(TablePlanOptions plan, TableJob job, RunFolder folder, int? threads)
    {
        var started = File.Exists(folder.ConfigPath) || RunFolder.IsRunFolder(folder.Directory);
        var resume = folder.HasCheckpoint(RunFolder.Last);
        if (started && !resume)
            throw new TableException($"{folder.Directory}: a started run without a {RunFolder.Last}/ checkpoint to resume; delete the folder to rerun the job");
        var options = plan.TrainingOptionsOf(job);
        return options with { OutputDirectory = folder.Directory, Threads = threads ?? options.Threads, Resume = resume };
    }
}
