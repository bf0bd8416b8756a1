using TfCrnn.Analysis;
using TfCrnn.Tests.Analysis;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Cli;

/// <summary><c>tfcrnn table steps</c>, then <c>table run</c> and <c>table collect</c> on its plan, run as a user runs them.</summary>
public sealed class TableStepsCliTests
{
    [Fact]
    public async Task Plans_runs_only_what_is_missing_and_collects_accuracy_against_step_size()
    {
        using var data = new ToneDataset(trainPerWord: 4, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("table-steps");
        var plan = folder.Combine("plan");

        var planned = await CliProcess.SucceedAsync("table", "steps", "--data", data.Path, "--seeds", "1", "--out", plan, "--blocks", "basic",
            "--width", "8", "--max-epochs", "1", "--batch-size", "8", "--threads", "1");
        Assert.StartsWith($"10 runs planned in {plan}\n", planned);
        Assert.Contains($"tfcrnn table run --plan {plan}", planned);

        // Every run but the 250 ms CRNN has finished: `table run` trains that one and skips the rest.
        var jobs = TablePlan.Load(plan).Jobs;
        var remaining = jobs.Single(j => j.Configuration is { Variant: "crnn-basic", StepMs: 250 });
        foreach (var job in jobs.Where(j => j != remaining))
            StepGridTests.WriteResult(Path.Combine(plan, job.RunDirectory), 0.5);
        var ran = await CliProcess.SucceedAsync("table", "run", "--plan", plan);
        Assert.StartsWith("1 runs trained, 9 already finished", ran);
        var run = new RunFolder(Path.Combine(plan, remaining.RunDirectory));
        Assert.Equal((8000, 4000, 3), (run.ReadConfig().Model.Window, run.ReadConfig().Model.Hop, run.ReadConfig().Model.Steps));
        Assert.StartsWith("0 runs trained, 10 already finished", await CliProcess.SucceedAsync("table", "run", "--plan", plan));

        var table = await CliProcess.SucceedAsync("table", "collect", "--plan", plan);
        Assert.StartsWith("# Step-size grid: test accuracy against step size", table);
        Assert.Contains("| 250 | 500 | CRNN | Basic | 3 | 7 |", table);
        Assert.Contains("| 12.5 | 25 | TF-CRNN | TF-Basic | 79 | 4 |", table);
        Assert.Contains("10 of 10 runs finished.", table);
        Assert.True(File.Exists(Path.Combine(plan, StepGridReport.Figure)));
        Assert.Equal(table, File.ReadAllText(Path.Combine(plan, StepGridReport.Markdown)));
    }

    [Theory]
    [InlineData("table steps --blocks basic,tfbasic", "error: --blocks: expected a comma-separated list of basic, se, resse, got 'basic,tfbasic'")]
    [InlineData("table steps --seeds 0", "error: --seeds must be at least 1, got 0")]
    [InlineData("table steps --data MISSING", "error: dataset not found: ")]
    [InlineData("table plan --step-ms 0.5", "error: --step-ms 0.5 gives a 16-sample window, shorter than 27 samples")]
    [InlineData("table plan --step-ms 50 --window-ms 100", "error: give --step-ms or --window-ms, not both")]
    public async Task Bad_inputs_print_one_error_line_and_write_nothing(string command, string error)
    {
        using var folder = new TempDirectory("table-steps");
        var arguments = command.Replace("MISSING", folder.Combine("missing")).Split(' ').ToList();
        if (!arguments.Contains("--data")) arguments.AddRange(["--data", folder.Path]);
        arguments.AddRange(["--out", folder.Combine("plan")]);
        Assert.StartsWith(error, await CliProcess.FailAsync([.. arguments]));
        Assert.False(Directory.Exists(folder.Combine("plan")));
    }

    [Fact]
    public async Task Collect_without_a_plan_names_the_missing_file()
    {
        using var folder = new TempDirectory("table-steps");
        Assert.Equal($"error: {Path.Combine(folder.Path, "plan.json")}: no plan here; create one with `tfcrnn table plan` or `tfcrnn table steps`",
            await CliProcess.FailAsync("table", "collect", "--plan", folder.Path));
    }
}
