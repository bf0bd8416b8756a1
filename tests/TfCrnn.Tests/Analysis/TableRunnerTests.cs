using TfCrnn.Analysis;
using TfCrnn.Models;
using TfCrnn.Progress;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Analysis;

public class TableRunnerTests
{
    private static TablePlanOptions PlanOn(ToneDataset data, TempDirectory folder) => new()
    {
        DataPath = data.Path,
        OutputDirectory = folder.Combine("plan"),
        Seeds = 1,
        Width = 8,
        MaxEpochs = 1,
        BatchSize = 8,
        Threads = 1,
    };

    [Fact]
    public async Task SkipsFinishedRunsAndTrainsTheRest()
    {
        using var data = new ToneDataset(trainPerWord: 4, validPerWord: 1, testPerWord: 1);
        using var folder = new TempDirectory("table-run");
        var jobs = TablePlan.Write(PlanOn(data, folder));
        foreach (var job in jobs.Skip(1))
        {
            var run = folder.Combine("plan", job.RunDirectory);
            Directory.CreateDirectory(run);
            File.WriteAllText(Path.Combine(run, "result.json"), """{"test_accuracy": 0.5}""");
        }
        var reports = new List<TableRunProgress>();

        var summary = await TableRunner.RunAsync(new TableRunOptions(folder.Combine("plan")), new SynchronousProgress<TableRunProgress>(reports.Add));

        Assert.Equal((17, 16, 1), (summary.Jobs, summary.Skipped, summary.Trained));
        var result = new RunFolder(folder.Combine("plan", jobs[0].RunDirectory)).ReadResult();
        Assert.Equal(("cnn-basic", "many2one", 0, 1), (result.Model, result.Io, result.Seed, result.Epochs));
        Assert.Contains(reports, r => r.Current == jobs[0] && r.Training is not null);
        Assert.Equal(17, reports[^1].Finished);
        Assert.Equal(17, TableCollector.Collect(folder.Combine("plan")).FinishedRuns);
    }

    [Fact]
    public void JobsBecomeTheTrainingOptionsOfTheirCommandLine()
    {
        using var folder = new TempDirectory("table-run");
        var plan = new TablePlanOptions { DataPath = "/data", OutputDirectory = folder.Path, Width = 16, LimitTrain = 100, Device = "cuda" };
        var job = plan.Jobs.Single(j => j.Configuration.Variant == "tfcrnn-basic" && j.Configuration.Io == "many2many" && j.Seed == 2);
        var run = new RunFolder(folder.Combine(job.RunDirectory));

        var options = TableRunner.TrainingOptionsOf(plan, job, run, threads: 3);

        Assert.Equal(("/data", "tfcrnn-basic", OutputMode.ManyToMany, 2), (options.DataPath, options.Variant, options.Io, options.Seed));
        Assert.Equal((16, 100, "cuda", 3, false), (options.Width, options.LimitTrain, options.Device.ToString(), options.Threads, options.Resume));
        Assert.Equal((200, 64, 2), (options.MaxEpochs, options.BatchSize, options.Patience)); // the paper's values where the plan says nothing
        Assert.Equal(run.Directory, options.OutputDirectory);

        Directory.CreateDirectory(run.Directory);
        File.WriteAllText(run.ConfigPath, "{}");
        Assert.Contains("delete the folder", Assert.Throws<TableException>(() => TableRunner.TrainingOptionsOf(plan, job, run, null)).Message);
    }
}
