using System.Diagnostics;
using System.Text.RegularExpressions;
using TfCrnn.Analysis;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Analysis;

public class TablePlanTests
{
    private static IReadOnlyList<TableJob> Plan(TempDirectory folder, int seeds = 3, string? device = null)
    {
        Directory.CreateDirectory(folder.Combine("data"));
        return TablePlan.Write(new TablePlanOptions
        {
            DataPath = folder.Combine("data"),
            OutputDirectory = folder.Combine("plan"),
            Seeds = seeds,
            Width = 16,
            MaxEpochs = 2,
            LimitTrain = 200,
            Device = device,
        });
    }

    [Fact]
    public void PlansSeventeenConfigurationsPerSeedManyToOneOnlyForTheCnnsAndBaselines()
    {
        using var folder = new TempDirectory("table");
        var jobs = Plan(folder, seeds: 3);

        Assert.Equal(17 * 3, jobs.Count);
        Assert.Equal(Enumerable.Range(0, 51), jobs.Select(j => j.Index));
        Assert.Equal(51, jobs.Select(j => j.RunDirectory).Distinct().Count());
        Assert.Equal(3, jobs.Count(j => j.Configuration.Variant == "tfcrnn-resse" && j.Configuration.Io == "many2many"));
        Assert.DoesNotContain(jobs, j => j.Configuration.Variant.StartsWith("cnn-") && j.Configuration.Io == "many2many");
        Assert.Equal(11, TableOne.Configurations.Select(c => c.Variant).Distinct().Count());
        Assert.Equal(["attn-crnn many2one", "harmonic-cnn many2one"], TableOne.Configurations.TakeLast(2).Select(c => c.Name));
        Assert.Equal(3, jobs.Count(j => j.Configuration.Variant == "attn-crnn"));
        Assert.Equal(3, jobs.Count(j => j.Configuration.Variant == "harmonic-cnn"));

        var lines = File.ReadAllLines(folder.Combine("plan", TablePlan.JobsFile));
        Assert.Equal("index\tmodel\tio\tseed\trun_dir\tcommand", lines[0]);
        Assert.Equal(52, lines.Length);
        Assert.Equal(
            $"18\tcnn-se\tmany2one\t1\truns/cnn-se-many2one-seed1\ttfcrnn train --data {folder.Combine("data")} --model cnn-se --io many2one " +
            "--seed 1 --out runs/cnn-se-many2one-seed1 --width 16 --max-epochs 2 --limit-train 200",
            lines[19]);
        // AttnCRNN has no width: the plan's --width is left out of its command; HarmonicCNN's channels follow it.
        Assert.Equal(
            $"32\tattn-crnn\tmany2one\t1\truns/attn-crnn-many2one-seed1\ttfcrnn train --data {folder.Combine("data")} --model attn-crnn --io many2one " +
            "--seed 1 --out runs/attn-crnn-many2one-seed1 --max-epochs 2 --limit-train 200",
            lines[33]);
        Assert.EndsWith("--model harmonic-cnn --io many2one --seed 1 --out runs/harmonic-cnn-many2one-seed1 --width 16 --max-epochs 2 --limit-train 200", lines[34]);
    }

    [Fact]
    public void PlanRoundTripsThroughPlanJson()
    {
        using var folder = new TempDirectory("table");
        Plan(folder, seeds: 2, device: "cuda");
        var plan = TablePlan.Load(folder.Combine("plan"));

        Assert.Equal(folder.Combine("data"), plan.DataPath);
        Assert.Equal(folder.Combine("plan"), plan.OutputDirectory);
        Assert.Equal((2, 16, 2, 200, "cuda"), (plan.Seeds, plan.Width, plan.MaxEpochs, plan.LimitTrain, plan.Device));
        Assert.Null(plan.BatchSize);
        Assert.Contains("\n#SBATCH --gres=gpu:1\n", File.ReadAllText(folder.Combine("plan", TablePlan.SlurmFile)));
    }

    [Fact]
    public void SlurmScriptIsValidBashWithOneArrayTaskPerJob()
    {
        using var folder = new TempDirectory("table");
        var jobs = Plan(folder, seeds: 2);
        var script = folder.Combine("plan", TablePlan.SlurmFile);

        Assert.Equal(0, Bash($"-n {script}", folder.Path).ExitCode);
        var array = Regex.Match(File.ReadAllText(script), @"^#SBATCH --array=0-(\d+)$", RegexOptions.Multiline);
        Assert.True(array.Success);
        Assert.Equal(jobs.Count - 1, int.Parse(array.Groups[1].Value));
        Assert.Contains("##SBATCH --gres=gpu:1", File.ReadAllText(script)); // a CPU plan leaves the GPU request commented out
    }

    [Fact]
    public void SlurmTaskRunsItsJobAndResumesOrSkips()
    {
        using var folder = new TempDirectory("table");
        var jobs = Plan(folder, seeds: 1);
        var script = folder.Combine("plan", TablePlan.SlurmFile);
        var job = jobs[12];

        // TFCRNN=echo prints the arguments the real tool would get.
        var fresh = Bash(script, folder.Path, ("SLURM_ARRAY_TASK_ID", "12"), ("TFCRNN", "echo"));
        Assert.Equal(0, fresh.ExitCode);
        Assert.EndsWith("\n" + job.CommandLine(TablePlan.Load(folder.Combine("plan")))["tfcrnn ".Length..] + "\n", fresh.Output);

        Directory.CreateDirectory(folder.Combine("plan", job.RunDirectory));
        File.WriteAllText(folder.Combine("plan", job.RunDirectory, "config.json"), "{}");
        Assert.EndsWith(" --resume\n", Bash(script, folder.Path, ("SLURM_ARRAY_TASK_ID", "12"), ("TFCRNN", "echo")).Output);

        File.WriteAllText(folder.Combine("plan", job.RunDirectory, "result.json"), "{}");
        Assert.Contains("has finished already", Bash(script, folder.Path, ("SLURM_ARRAY_TASK_ID", "12"), ("TFCRNN", "echo")).Output);
        Assert.NotEqual(0, Bash(script, folder.Path, ("SLURM_ARRAY_TASK_ID", "17"), ("TFCRNN", "echo")).ExitCode);
    }

    [Fact]
    public void CollectAveragesFinishedRunsAndMarksMissingOnes()
    {
        using var folder = new TempDirectory("table");
        var jobs = Plan(folder, seeds: 3);
        void Finish(string variant, string io, int seed, double accuracy)
        {
            var run = folder.Combine("plan", jobs.Single(j => j.Configuration.Variant == variant && j.Configuration.Io == io && j.Seed == seed).RunDirectory);
            Directory.CreateDirectory(run);
            File.WriteAllText(Path.Combine(run, "result.json"),
                $$"""{"model":"{{variant}}","io":"{{io}}","seed":{{seed}},"test_accuracy":{{accuracy}},"test_loss":0.2,"best_epoch":1,"epochs":2,"wall_seconds":1.5}""");
        }
        Finish("tfcrnn-resse", "many2many", 0, 0.95);
        Finish("tfcrnn-resse", "many2many", 1, 0.96);
        Finish("tfcrnn-resse", "many2many", 2, 0.97);
        Finish("cnn-basic", "many2one", 1, 0.5);
        Finish("crnn-se", "many2many", 0, 0.90);
        Finish("crnn-se", "many2many", 2, 0.92);
        Finish("attn-crnn", "many2one", 0, 0.93);
        Finish("attn-crnn", "many2one", 2, 0.94);

        var result = TableCollector.Collect(folder.Combine("plan"));
        Assert.Equal((8, 51), (result.FinishedRuns, result.PlannedRuns));
        var tfcrnn = result.Cells.Single(c => c.Configuration is { Variant: "tfcrnn-resse", Io: "many2many" });
        Assert.Equal(96.0, tfcrnn.Mean, 9);
        Assert.Equal(1.0, tfcrnn.Std, 9); // sample std of 95, 96, 97
        Assert.Equal(96.0 - 96.55, tfcrnn.Difference, 9);

        var markdown = TableCollector.Write(folder.Combine("plan"));
        Assert.Equal(markdown, File.ReadAllText(folder.Combine("plan", TableCollector.Markdown)));
        Assert.Contains("| TF-CRNN | TF-Res-SE | — (0/3 runs) | 95.89 (0.22) | — | 96.00 (1.00) | 96.55 (0.11) | -0.55 |", markdown);
        Assert.Contains("| CNN | Basic | 50.00 (—), 1/3 runs | 94.63 (0.12) | -44.63 | – | – | – |", markdown);
        Assert.Contains("| CRNN | SE | — (0/3 runs) | 95.56 (0.12) | — | 91.00 (1.41), 2/3 runs | 95.94 (0.12) | -4.94 |", markdown);
        Assert.Contains("| AttnCRNN |  | 93.50 (0.71), 2/3 runs | 93.90 | -0.40 | – | – | – |", markdown);
        Assert.Contains("| HarmonicCNN |  | — (0/3 runs) | 96.39 | — | – | – | – |", markdown);
        var rows = markdown.Split('\n').Where(line => line.StartsWith("| ") && !line.StartsWith("| model") && !line.StartsWith("| ---")).ToList();
        Assert.Equal(11, rows.Count); // Table I's eleven rows: nine variants and two baselines
        Assert.Contains("8 of 51 runs finished", markdown);
        var csv = File.ReadAllLines(folder.Combine("plan", TableCollector.Csv));
        Assert.Equal(18, csv.Length);
        Assert.Contains("TF-CRNN,TF-Res-SE,many2many,3,3,96.00,1.00,96.55,0.11,-0.55", csv);
        Assert.Contains("CNN,SE,many2one,0,3,,,95.33,0.10,", csv);
        Assert.Contains("AttnCRNN,,many2one,2,3,93.50,0.71,93.90,,-0.40", csv);
    }

    [Fact]
    public void BrokenPlansAndResultsNameTheFile()
    {
        using var folder = new TempDirectory("table");
        Assert.Contains(Path.Combine(folder.Path, "plan.json"),
            Assert.Throws<TableException>(() => TablePlan.Load(folder.Path)).Message);

        var jobs = Plan(folder, seeds: 1);
        var result = folder.Combine("plan", jobs[0].RunDirectory, "result.json");
        Directory.CreateDirectory(Path.GetDirectoryName(result)!);
        File.WriteAllText(result, "{\"test_accuracy\": ");
        Assert.Contains(result, Assert.ThrowsAny<TfCrnnException>(() => TableCollector.Collect(folder.Combine("plan"))).Message);
        Assert.Contains("dataset not found", Assert.Throws<TableException>(() =>
            TablePlan.Write(new TablePlanOptions { DataPath = folder.Combine("nothing"), OutputDirectory = folder.Combine("p2") })).Message);
    }

    private static (int ExitCode, string Output) Bash(string arguments, string workingDirectory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment.Remove("SLURM_JOB_ID");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"bash {arguments} ran longer than 60 s: killed");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}
