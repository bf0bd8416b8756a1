using System.Globalization;
using TfCrnn.Analysis;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Analysis;

/// <summary><c>tfcrnn table steps</c>: the paper's step-size grid (Section III-C) planned, run and collected.</summary>
public sealed class StepGridTests
{
    private static TablePlanOptions StepsPlan(string data, string output, int seeds = 2, IReadOnlyList<string>? blocks = null) => new()
    {
        Study = TableStudy.Steps,
        DataPath = data,
        OutputDirectory = output,
        Seeds = seeds,
        Blocks = blocks,
        Width = 16,
        MaxEpochs = 2,
        LearningRate = 0.1,
    };

    [Fact]
    public void PlansFiveStepsTimesCrnnAndTfcrnnTimesTheChosenBlocksPerSeed()
    {
        using var folder = new TempDirectory("steps");
        Directory.CreateDirectory(folder.Combine("data"));
        var jobs = TablePlan.Write(StepsPlan(folder.Combine("data"), folder.Combine("plan"), seeds: 2, blocks: ["resse", "basic"]));

        Assert.Equal(5 * 2 * 2 * 2, jobs.Count);
        Assert.Equal(jobs.Count, jobs.Select(j => j.RunDirectory).Distinct().Count());
        Assert.Equal([12.5, 25, 50, 100, 250], jobs.Select(j => j.Configuration.StepMs!.Value).Distinct());
        Assert.Equal(["crnn-basic", "crnn-resse", "tfcrnn-basic", "tfcrnn-resse"], jobs.Select(j => j.Configuration.Variant).Distinct().Order());
        Assert.All(jobs, j => Assert.Equal("many2many", j.Configuration.Io));
        var first = jobs[0];
        Assert.Equal(("crnn-basic", 12.5, 0, "runs/crnn-basic-many2many-step12.5ms-seed0"),
            (first.Configuration.Variant, first.Configuration.StepMs, first.Seed, first.RunDirectory));
        Assert.Equal(("TF-CRNN", "TF-Res-SE", 250.0, 1), (jobs[^1].Configuration.Family, jobs[^1].Configuration.Block, jobs[^1].Configuration.StepMs, jobs[^1].Seed));

        var lines = File.ReadAllLines(folder.Combine("plan", TablePlan.JobsFile));
        Assert.Equal(jobs.Count + 1, lines.Length);
        Assert.EndsWith("\ttfcrnn train --data " + folder.Combine("data") + " --model crnn-basic --io many2many --seed 0 " +
                        "--out runs/crnn-basic-many2many-step12.5ms-seed0 --width 16 --step-ms 12.5 --max-epochs 2 --lr 0.1", lines[1]);
        var script = File.ReadAllText(folder.Combine("plan", TablePlan.SlurmFile));
        Assert.Contains("#SBATCH --job-name=tfcrnn-steps\n", script);
        Assert.Contains($"#SBATCH --array=0-{jobs.Count - 1}\n", script);

        var loaded = TablePlan.Load(folder.Combine("plan"));
        Assert.Equal((TableStudy.Steps, 2), (loaded.Study, loaded.Seeds));
        Assert.Equal(jobs, loaded.Jobs);
        Assert.Contains("\"study\": \"steps\"", File.ReadAllText(folder.Combine("plan", TablePlan.PlanFile)));
    }

    [Fact]
    public void ATableOnePlanAtAStepTrainsItsRecurrentRowsAtThatStep()
    {
        using var folder = new TempDirectory("steps");
        var plan = new TablePlanOptions { DataPath = "/data", OutputDirectory = folder.Path, Seeds = 1, StepMs = 50 };

        var recurrent = plan.Jobs.Single(j => j.Configuration is { Variant: "tfcrnn-se", Io: "many2one" });
        var cnn = plan.Jobs.Single(j => j.Configuration.Variant == "cnn-se");
        Assert.Equal("runs/tfcrnn-se-many2one-seed0", recurrent.RunDirectory);
        Assert.Contains(" --step-ms 50", recurrent.CommandLine(plan));
        Assert.DoesNotContain("--step-ms", cnn.CommandLine(plan));
        Assert.Equal((1600, 19), (plan.TrainingOptionsOf(recurrent).ModelConfig().Window, plan.TrainingOptionsOf(recurrent).ModelConfig().Steps));
        Assert.Equal(16000, ModelArchitecture.TrunkInputSamples(plan.TrainingOptionsOf(cnn).ModelConfig()));

        Directory.CreateDirectory(folder.Combine("data"));
        TablePlan.Write(plan with { DataPath = folder.Combine("data"), OutputDirectory = folder.Combine("plan") });
        Assert.Equal(50, TablePlan.Load(folder.Combine("plan")).StepMs);
    }

    [Theory]
    [InlineData("blocks", "--blocks must be a comma-separated list of basic, se, resse, got 'basic,tf'")]
    [InlineData("no blocks", "--blocks must be a comma-separated list of basic, se, resse, got ''")]
    [InlineData("io", "--io must be one of many2many, many2one, got 'all'")]
    [InlineData("step on the grid", "--step-ms does not apply to the step-size grid, which sets the step of every run")]
    [InlineData("blocks on table one", "--blocks chooses the runs of the step-size grid (table steps), not of Table I")]
    [InlineData("bad step on table one", "--step-ms 0.5 gives a 16-sample window")]
    [InlineData("seeds", "--seeds must be at least 1, got 0")]
    public void BadPlanOptionsAreRejectedNamingTheOption(string problem, string error)
    {
        using var folder = new TempDirectory("steps");
        var grid = StepsPlan(folder.Path, folder.Combine("plan"));
        var options = problem switch
        {
            "blocks" => grid with { Blocks = ["basic", "tf"] },
            "no blocks" => grid with { Blocks = [] },
            "io" => grid with { Io = "all" },
            "step on the grid" => grid with { StepMs = 50 },
            "blocks on table one" => grid with { Study = TableStudy.TableOne, Blocks = ["se"] },
            "bad step on table one" => grid with { Study = TableStudy.TableOne, StepMs = 0.5 },
            _ => grid with { Seeds = 0 },
        };
        Assert.StartsWith(error, Assert.Throws<OptionException>(() => TablePlan.Write(options)).Message);
        Assert.False(Directory.Exists(folder.Combine("plan")));
    }

    [Fact]
    public void CollectWritesAccuracyAgainstStepSizeWithTheCostOfEachSetting()
    {
        using var folder = new TempDirectory("steps");
        Directory.CreateDirectory(folder.Combine("data"));
        var jobs = TablePlan.Write(StepsPlan(folder.Combine("data"), folder.Combine("plan"), seeds: 2, blocks: ["basic"]));
        void Finish(string variant, double step, int seed, double accuracy) => WriteResult(folder.Combine("plan",
            jobs.Single(j => j.Configuration.Variant == variant && j.Configuration.StepMs == step && j.Seed == seed).RunDirectory), accuracy);
        Finish("tfcrnn-basic", 12.5, 0, 0.80);
        Finish("tfcrnn-basic", 12.5, 1, 0.90);
        Finish("crnn-basic", 100, 1, 0.70);

        var markdown = TableCollector.Write(folder.Combine("plan"));

        Assert.Equal(markdown, File.ReadAllText(folder.Combine("plan", StepGridReport.Markdown)));
        // 12.5 ms: 400-sample windows, 79 steps, int(log3(400)) − 1 = 4 blocks; a step every 200 samples = 80 per second.
        var fine = (ModelConfig.For("tfcrnn-basic") with { Width = 16 }).WithStep(12.5);
        Assert.Contains($"| 12.5 | 25 | TF-CRNN | TF-Basic | 79 | 4 | {Parameters(fine)} | {MegaMacsPerSecond(fine, 80)} | 85.00 (7.07) |", markdown);
        // 100 ms: 3,200-sample windows, 9 steps, 6 blocks, 10 steps per second; one of two seeds finished.
        var paper = ModelConfig.For("crnn-basic") with { Width = 16 };
        Assert.Contains($"| 100 | 200 | CRNN | Basic | 9 | 6 | {Parameters(paper)} | {MegaMacsPerSecond(paper, 10)} | 70.00 (—), 1/2 runs |", markdown);
        Assert.Contains("| 250 | 500 | CRNN | Basic | 3 | 7 |", markdown);
        Assert.Contains("3 of 20 runs finished; incomplete: crnn-basic many2many 12.5 ms (0/2)", markdown);
        Assert.Contains("Settings changed from the paper's recipe: width 16, max epochs 2, learning rate 0.1.", markdown);
        Assert.Contains("![Test accuracy and cost against step size](steps.png)", markdown);

        var csv = File.ReadAllLines(folder.Combine("plan", StepGridReport.Csv));
        Assert.Equal(1 + 10, csv.Length);
        Assert.StartsWith("12.5,25,TF-CRNN,TF-Basic,tfcrnn-basic,many2many,79,4,", csv[2]);
        Assert.EndsWith(",2,2,85.00,7.07", csv[2]);
        var png = File.ReadAllBytes(folder.Combine("plan", StepGridReport.Figure));
        Assert.True(png.Length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    private static string Parameters(ModelConfig config)
    {
        using var model = ModelFactory.Create(config);
        return model.parameters().Sum(p => p.numel()).ToString("N0", CultureInfo.InvariantCulture);
    }

    /// <summary>MACs of one step (a clip's MACs over its steps) × steps per second, in millions, one decimal.</summary>
    private static string MegaMacsPerSecond(ModelConfig config, int stepsPerSecond) =>
        (ModelArchitecture.Macs(config) / config.Steps * stepsPerSecond / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    internal static void WriteResult(string runDirectory, double accuracy)
    {
        Directory.CreateDirectory(runDirectory);
        File.WriteAllText(Path.Combine(runDirectory, "result.json"),
            $$"""{"model":"x","io":"many2many","seed":0,"test_accuracy":{{accuracy.ToString(CultureInfo.InvariantCulture)}},"test_loss":0.2,"best_epoch":1,"epochs":2,"wall_seconds":1.5}""");
    }
}
