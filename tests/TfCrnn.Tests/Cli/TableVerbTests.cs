using TfCrnn.Analysis;
using TfCrnn.IO;
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
        Assert.StartsWith($"17 runs planned in {plan} (each Slurm task: 1 CPUs, 2 GB)", planned.Stdout);
        var slurm = File.ReadAllText(Path.Combine(plan, TablePlan.SlurmFile));
        Assert.Contains("#SBATCH --cpus-per-task=1\n", slurm);
        Assert.Contains("#SBATCH --mem=2G\n", slurm);
        Assert.Contains("export OMP_NUM_THREADS=1\n", slurm);

        // Two runs to train here; the other fifteen have finished elsewhere.
        var jobs = TablePlan.Load(plan).Jobs;
        foreach (var job in jobs.Where(j => j.Index is not (0 or 14)))
        {
            var run = new RunFolder(Path.Combine(plan, job.RunDirectory));
            Directory.CreateDirectory(run.Directory);
            run.WriteResult(new RunResult(job.Configuration.Variant, job.Configuration.Io, job.Seed, 0.5, 1.0, 1, 1, 1));
        }
        var ran = (await CliRun.RunAsync(["table", "run", "--plan", plan])).Succeeded();
        Assert.StartsWith("2 runs trained, 15 already finished, in ", ran.Stdout);

        var collected = (await CliRun.RunAsync(["table", "collect", "--plan", plan])).Succeeded();
        Assert.Contains("| TF-CRNN | TF-Res-SE |", collected.Stdout);
        Assert.Contains("| AttnCRNN |  | 50.00 (—) | 93.90 | -43.90 |", collected.Stdout);
        Assert.Contains("| HarmonicCNN |  | 50.00 (—) | 96.39 | -46.39 |", collected.Stdout);
        Assert.True(File.Exists(Path.Combine(plan, TableCollector.Markdown)));
        Assert.Equal(17, TableCollector.Collect(plan).FinishedRuns);
        CliLog.Write(planned);
        CliLog.Write(ran);
    }

    [Fact]
    public async Task PlanDefaultsRequestThePaperSizedTask()
    {
        using var data = new ToneDataset(trainPerWord: 1, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("cli-table");
        var planned = (await CliRun.RunAsync(["table", "plan", "--data", data.Path, "--out", folder.Path])).Succeeded();
        var slurm = File.ReadAllText(folder.Combine(TablePlan.SlurmFile));
        Assert.Contains($"#SBATCH --cpus-per-task={TablePlanOptions.DefaultCpusPerTask}\n", slurm);
        Assert.Contains("#SBATCH --mem=21G\n", slurm); // the most any task needs: HarmonicCNN at width 128 × batch 64
        Assert.Contains("#SBATCH --array=0-50\n", slurm);
        // One array per memory size: AttnCRNN's runs (index 15 of each seed's 17), the nine's, HarmonicCNN's (16).
        var script = ShellWords.Join([folder.Combine(TablePlan.SlurmFile)]);
        string[] submits = [$"sbatch --array=15,32,49 --mem=2G {script}", $"sbatch --array=0-14,17-31,34-48 --mem=10G {script}",
            $"sbatch --array=16,33,50 --mem=21G {script}"];
        Assert.Contains($"(each Slurm task: {TablePlanOptions.DefaultCpusPerTask} CPUs, 2 to 21 GB by model)", planned.Stdout);
        foreach (var submit in submits)
        {
            Assert.Contains($"    {submit}\n", planned.Stdout);
            Assert.Contains($"#   {submit}  # ", slurm);
        }
        Assert.DoesNotContain("--width", File.ReadAllText(folder.Combine(TablePlan.JobsFile)));
    }
}
