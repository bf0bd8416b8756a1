using TfCrnn.Analysis;
using TfCrnn.Tests.Analysis;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// <c>tfcrnn table steps</c>, then <c>table run</c> and <c>table collect</c> on its plan, run as a user runs them; bad
/// inputs are among <see cref="CliInputErrorTests.Cases"/>.
/// </summary>
public sealed class TableStepsCliTests
{
    [Fact]
    public async Task PlansRunsOnlyWhatIsMissingAndCollectsAccuracyAgainstStepSize()
    {
        using var data = new ToneDataset(trainPerWord: 4, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("table-steps");
        var plan = folder.Combine("plan");

        var planned = await CliRun.SucceedAsync("table", "steps", "--data", data.Path, "--seeds", "1", "--out", plan, "--blocks", "basic",
            "--width", "8", "--max-epochs", "1", "--batch-size", "8", "--threads", "1");
        Assert.StartsWith($"10 runs planned in {plan} (each Slurm task: 1 CPUs, 2 GB)\n", planned);
        Assert.Contains($"tfcrnn table run --plan {plan}", planned);

        // Every run but the 250 ms CRNN has finished: `table run` trains that one and skips the rest.
        var jobs = TablePlan.Load(plan).Jobs;
        var remaining = jobs.Single(j => j.Configuration is { Variant: "crnn-basic", StepMs: 250 });
        foreach (var job in jobs.Where(j => j != remaining))
            StepGridTests.WriteResult(Path.Combine(plan, job.RunDirectory), 0.5);
        var ran = await CliRun.SucceedAsync("table", "run", "--plan", plan);
        Assert.StartsWith("1 runs trained, 9 already finished", ran);
        var run = new RunFolder(Path.Combine(plan, remaining.RunDirectory));
        Assert.Equal((8000, 4000, 3), (run.ReadConfig().Model.Window, run.ReadConfig().Model.Hop, run.ReadConfig().Model.Steps));
        Assert.StartsWith("0 runs trained, 10 already finished", await CliRun.SucceedAsync("table", "run", "--plan", plan));

        var table = await CliRun.SucceedAsync("table", "collect", "--plan", plan);
        Assert.StartsWith("# Step-size grid: test accuracy against step size", table);
        Assert.Contains("| 250 | 500 | CRNN | Basic | 3 | 7 |", table);
        Assert.Contains("| 12.5 | 25 | TF-CRNN | TF-Basic | 79 | 4 |", table);
        Assert.Contains("10 of 10 runs finished.", table);
        Assert.True(File.Exists(Path.Combine(plan, StepGridReport.Figure)));
        Assert.Equal(table, File.ReadAllText(Path.Combine(plan, StepGridReport.Markdown)));
    }
}
