using TfCrnn.Analysis;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary><c>table plan|run|collect</c> as a user runs them.</summary>
public sealed class TableVerbTests
{
    [Fact]
    public async Task PlanRunCollectFillsTheTableAndSlurmAsksForWhatThePlanUses()
    {
        using var data = new ToneDataset(trainPerWord: 4, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("cli-table");
        var plan = folder.Combine("plan");

        var planned = (await CliRun.RunAsync(["table", "plan", "--data", data.Path, "--out", plan, "--seeds", "1", "--width", "8",
            "--batch-size", "8", "--max-epochs", "1", "--threads", "1"])).Succeeded();
        Assert.StartsWith($"15 runs planned in {plan} (each Slurm task: 1 CPUs, 2 GB)", planned.Stdout);
        var slurm = File.ReadAllText(Path.Combine(plan, TablePlan.SlurmFile));
        Assert.Contains("#SBATCH --cpus-per-task=1\n", slurm);
        Assert.Contains("#SBATCH --mem=2G\n", slurm);
        Assert.Contains("export OMP_NUM_THREADS=1\n", slurm);

        // Two runs to train here; the other thirteen have finished elsewhere.
        var jobs = TablePlan.Load(plan).Jobs;
        foreach (var job in jobs.Where(j => j.Index is not (0 or 14)))
        {
            var run = new RunFolder(Path.Combine(plan, job.RunDirectory));
            Directory.CreateDirectory(run.Directory);
            run.WriteResult(new RunResult(job.Configuration.Variant, job.Configuration.Io, job.Seed, 0.5, 1.0, 1, 1, 1));
        }
        var ran = (await CliRun.RunAsync(["table", "run", "--plan", plan])).Succeeded();
        Assert.StartsWith("2 runs trained, 13 already finished, in ", ran.Stdout);

        var collected = (await CliRun.RunAsync(["table", "collect", "--plan", plan])).Succeeded();
        Assert.Contains("| TF-CRNN | TF-Res-SE |", collected.Stdout);
        Assert.True(File.Exists(Path.Combine(plan, TableCollector.Markdown)));
        Assert.Equal(15, TableCollector.Collect(plan).FinishedRuns);
        CliLog.Write(planned);
        CliLog.Write(ran);
    }

    [Fact]
    public async Task PlanDefaultsRequestThePaperSizedTask()
    {
        using var data = new ToneDataset(trainPerWord: 1, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("cli-table");
        (await CliRun.RunAsync(["table", "plan", "--data", data.Path, "--out", folder.Path])).Succeeded();
        var slurm = File.ReadAllText(folder.Combine(TablePlan.SlurmFile));
        Assert.Contains($"#SBATCH --cpus-per-task={TablePlanOptions.DefaultCpusPerTask}\n", slurm);
        Assert.Contains("#SBATCH --mem=10G\n", slurm); // width 128 × batch 64
        Assert.Contains("#SBATCH --array=0-44\n", slurm);
        Assert.DoesNotContain("--width", File.ReadAllText(folder.Combine(TablePlan.JobsFile)));
    }
}
