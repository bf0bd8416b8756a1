using System.Globalization;
using System.Text;
using TfCrnn.IO;
using TfCrnn.Training;

namespace TfCrnn.Analysis;

/// <summary>Our mean (std) test accuracy of one configuration of a table over the finished runs.</summary>
/// <param name="Accuracies">Test accuracy in % of each finished run.</param>
/// <param name="Planned">Runs in the plan (the number of seeds).</param>
internal sealed record TableCell(TableConfiguration Configuration, IReadOnlyList<double> Accuracies, int Planned)
{
    public double Mean => Accuracies.Count == 0 ? double.NaN : Accuracies.Average();

    /// <summary>Sample standard deviation (n − 1); NaN for fewer than two runs.</summary>
    public double Std => Accuracies.Count < 2
        ? double.NaN
        : Math.Sqrt(Accuracies.Sum(a => (a - Mean) * (a - Mean)) / (Accuracies.Count - 1));

    /// <summary>Ours − paper, in percentage points; NaN where the paper reports no value.</summary>
    public double Difference => Mean - (Configuration.PaperMean ?? double.NaN);
}

/// <summary>A plan's table (Table I or the step-size grid) from the result.json files of its runs.</summary>
internal sealed record TableResult(TablePlanOptions Plan, IReadOnlyList<TableCell> Cells)
{
    public int FinishedRuns => Cells.Sum(c => c.Accuracies.Count);

    public int PlannedRuns => Cells.Sum(c => c.Planned);
}

/// <summary>
/// Reads the finished runs of a plan and writes its table: <c>table1.md</c> and <c>table1.csv</c> for Table I, the files of
/// <see cref="StepGridReport"/> for the step-size grid.
/// </summary>
internal static class TableCollector
{
    public const string Markdown = "table1.md";
    public const string Csv = "table1.csv";

    /// <summary>Reads every job's <c>result.json</c>; runs without one are missing.</summary>
    public static TableResult Collect(string planDirectory)
    {
        var plan = TablePlan.Load(planDirectory);
        var accuracies = plan.Jobs
            .Select(job => (job.Configuration, Accuracy: ReadAccuracy(Path.Combine(plan.OutputDirectory, job.RunDirectory))))
            .Where(run => run.Accuracy is not null)
            .ToLookup(run => run.Configuration, run => run.Accuracy!.Value);
        return new TableResult(plan, [.. plan.Configurations.Select(c => new TableCell(c, [.. accuracies[c]], plan.Seeds))]);
    }

    /// <summary>Collects and writes the plan's table into the plan folder; returns the markdown.</summary>
    public static string Write(string planDirectory)
    {
        var result = Collect(planDirectory);
        return result.Plan.Study == TableStudy.Steps ? StepGridReport.Write(result) : WriteTableOne(result);
    }

    private static string WriteTableOne(TableResult result)
    {
        var markdown = ToMarkdown(result);
        AtomicFile.WriteAllText(Path.Combine(result.Plan.OutputDirectory, Markdown), markdown);
        AtomicFile.WriteAllText(Path.Combine(result.Plan.OutputDirectory, Csv), TextTables.Csv(
            ["model", "block", "io", "runs", "planned_runs", "mean_accuracy", "std_accuracy", "paper_mean", "paper_std", "difference"],
            result.Cells.Select(c => (IReadOnlyList<string>)
            [
                c.Configuration.Family, c.Configuration.Block, c.Configuration.Io, TextTables.Integer(c.Accuracies.Count), TextTables.Integer(c.Planned),
                TextTables.Number(c.Mean, 2), TextTables.Number(c.Std, 2), TextTables.Number(c.Configuration.PaperMean ?? double.NaN, 2),
                TextTables.Number(c.Configuration.PaperStd ?? double.NaN, 2), TextTables.Number(c.Difference, 2),
            ])));
        return markdown;
    }

    /// <summary>The paper's layout: a row per model and block, many-to-one and many-to-many side by side, each with the paper's value and our difference.</summary>
    public static string ToMarkdown(TableResult result)
    {
        var plan = result.Plan;
        var text = new StringBuilder("# Table I: test accuracy (%)\n\n");
        var seeds = plan.Seeds == 1 ? "seed 0" : $"seeds 0–{plan.Seeds - 1}";
        text.Append($"Dataset `{plan.DataPath}`; mean (std) over {seeds} of the test accuracy at the epoch of the " +
                    "lowest validation loss; std is the sample standard deviation (n − 1). Paper: Kim & Nam, Table I " +
                    "(Speech Commands v0.02, 35 classes, 3 runs). Δ = ours − paper, in points.\n\n");
        text.Append(Settings(plan));

        var rows = result.Cells
            .GroupBy(c => (c.Configuration.Family, c.Configuration.Block))
            .Select(row => (IReadOnlyList<string>)
            [
                row.Key.Family, row.Key.Block,
                .. Columns(row.FirstOrDefault(c => c.Configuration.Io == TableOne.ManyToOne)),
                .. Columns(row.FirstOrDefault(c => c.Configuration.Io == TableOne.ManyToMany)),
            ]);
        text.Append(TextTables.Markdown(["model", "block", "many-to-one", "paper", "Δ", "many-to-many", "paper", "Δ"], rows));
        text.Append('\n').Append(Completion(result));
        return text.ToString();
    }

    /// <summary>"6 of 45 runs finished; incomplete: …" naming the configurations that miss runs.</summary>
    internal static string Completion(TableResult result)
    {
        var missing = result.Cells.Where(c => c.Accuracies.Count < c.Planned).ToList();
        return $"{result.FinishedRuns} of {result.PlannedRuns} runs finished" + (missing.Count == 0
            ? ".\n"
            : $"; incomplete: {string.Join(", ", missing.Select(c => $"{c.Configuration.Name} ({c.Accuracies.Count}/{c.Planned})"))}.\n");
    }

    /// <summary>The line that names the plan's settings that differ from the paper's recipe.</summary>
    internal static string Settings(TablePlanOptions plan)
    {
        var settings = new (string Name, object? Value)[]
        {
            ("width", plan.Width), ("step (ms)", plan.StepMs), ("window (ms)", plan.WindowMs), ("max epochs", plan.MaxEpochs),
            ("training clips", plan.LimitTrain), ("batch size", plan.BatchSize), ("learning rate", plan.LearningRate),
            ("patience", plan.Patience), ("device", plan.Device),
        }.Where(s => s.Value is not null).Select(s => $"{s.Name} {Convert.ToString(s.Value, CultureInfo.InvariantCulture)}").ToList();
        return settings.Count == 0
            ? "Settings: the paper's recipe.\n\n"
            : $"Settings changed from the paper's recipe: {string.Join(", ", settings)}.\n\n";
    }

    /// <summary>"96.00 (1.00)": mean (std) in %; "—" for a std of one run, the finished runs when some are missing.</summary>
    internal static string MeanStd(TableCell cell)
    {
        if (cell.Accuracies.Count == 0) return $"— (0/{cell.Planned} runs)";
        var std = cell.Accuracies.Count < 2 ? "—" : TextTables.Number(cell.Std, 2);
        var text = $"{TextTables.Number(cell.Mean, 2)} ({std})";
        return cell.Accuracies.Count < cell.Planned ? text + $", {cell.Accuracies.Count}/{cell.Planned} runs" : text;
    }

    private static IEnumerable<string> Columns(TableCell? cell)
    {
        if (cell is null) return ["–", "–", "–"];
        // The paper reports no deviation for its baselines: their cell is the mean alone.
        var paper = cell.Configuration switch
        {
            { PaperMean: { } mean, PaperStd: { } std } => $"{TextTables.Number(mean, 2)} ({TextTables.Number(std, 2)})",
            { PaperMean: { } mean } => TextTables.Number(mean, 2),
            _ => "",
        };
        return [MeanStd(cell), paper, cell.Accuracies.Count == 0 ? "—" : TextTables.Signed(cell.Difference, 2)];
    }

    /// <summary>The test accuracy in % of a finished run, or null when it has not finished.</summary>
    private static double? ReadAccuracy(string runDirectory)
    {
        var run = new RunFolder(runDirectory);
        return File.Exists(run.ResultPath) ? 100 * run.ReadResult().TestAccuracy : null;
    }
}
