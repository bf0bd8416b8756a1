using System.Globalization;
using System.Text;
using ScottPlot;
using TfCrnn.IO;
using TfCrnn.Models;
using TfCrnn.Models.Paper;

namespace TfCrnn.Analysis;

/// <summary>The cost of one setting of the step-size grid, from its model's shapes.</summary>
/// <param name="Model">The model the runs of the setting train.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="MacsPerSecond">
/// Multiply-accumulates per second of audio when the model runs continuously: one step every hop, so
/// <see cref="ModelArchitecture.MacsPerStep"/> × 16,000 / hop.
/// </param>
/// <param name="LatencyMs">
/// Latency of a decision, the window: a step decides once its whole window has arrived, so the first decision comes one
/// window after the audio starts, and each later one a step after the previous.
/// </param>
internal sealed record StepCost(ModelConfig Model, long Parameters, double MacsPerSecond, double LatencyMs)
{
    public static StepCost Of(ModelConfig model) => new(
        model, ModelSummary.Of(model).Parameters,
        ModelArchitecture.MacsPerStep(model) * (double)ModelConfig.SampleRate / model.Hop,
        model.Window * 1000.0 / ModelConfig.SampleRate);
}

/// <summary>
/// The step-size grid's table: accuracy against step size (mean, std over seeds) with each setting's cost, as
/// <c>steps.md</c>, <c>steps.csv</c> and <c>steps.png</c> in the plan folder.
/// </summary>
internal static class StepGridReport
{
    public const string Markdown = "steps.md";
    public const string Csv = "steps.csv";
    public const string Figure = "steps.png";

    /// <summary>Writes the three files into the plan folder; returns the markdown.</summary>
    public static string Write(TableResult result)
    {
        var folder = result.Plan.OutputDirectory;
        var costs = result.Cells.Select(cell => StepCost.Of(result.Plan.TrainingOptionsOf(new TableJob(0, cell.Configuration, 0)).ModelConfig())).ToList();
        AtomicFile.WriteAllText(Path.Combine(folder, Csv), TextTables.Csv(
            ["step_ms", "latency_ms", "model", "block", "variant", "io", "steps", "blocks", "parameters", "macs_per_second",
             "runs", "planned_runs", "mean_accuracy", "std_accuracy"],
            result.Cells.Zip(costs, (cell, cost) => (IReadOnlyList<string>)
            [
                Milliseconds(cost.Model.StepMs), Milliseconds(cost.LatencyMs), cell.Configuration.Family,
                cell.Configuration.Block, cell.Configuration.Variant, cell.Configuration.Io, TextTables.Integer(cost.Model.Steps),
                TextTables.Integer(ModelArchitecture.BlockCount(cost.Model)), cost.Parameters.ToString(CultureInfo.InvariantCulture),
                TextTables.Number(cost.MacsPerSecond, 0),
                TextTables.Integer(cell.Accuracies.Count), TextTables.Integer(cell.Planned),
                TextTables.Number(cell.Mean, 2), TextTables.Number(cell.Std, 2),
            ])));
        Draw(result, costs, Path.Combine(folder, Figure));
        var markdown = ToMarkdown(result, costs);
        AtomicFile.WriteAllText(Path.Combine(folder, Markdown), markdown);
        return markdown;
    }

    private static string ToMarkdown(TableResult result, IReadOnlyList<StepCost> costs)
    {
        var plan = result.Plan;
        var text = new StringBuilder("# Step-size grid: test accuracy against step size\n\n");
        var seeds = plan.Seeds == 1 ? "seed 0" : $"seeds 0–{plan.Seeds - 1}";
        var io = result.Cells.FirstOrDefault()?.Configuration.Io ?? TableOne.ManyToMany;
        text.Append($"Dataset `{plan.DataPath}`; {io} training; mean (std) over {seeds} of the test accuracy (%) at the epoch " +
                    "of the lowest validation loss; std is the sample standard deviation (n − 1). The paper grid-searched these " +
                    "steps with a window of twice the step and kept 100 ms (Kim & Nam, Section III-C); it reports no accuracy " +
                    "per step.\n\n");
        text.Append(TableCollector.Settings(plan));
        text.Append("Cost of a setting: MACs per second of audio when the model runs continuously (the MACs of one step × " +
                    "1000 / step in ms); latency of a decision = the window: a step decides once its whole window has arrived, " +
                    "so the first decision comes one window after the audio starts and every later one a step after the " +
                    "previous.\n\n");
        text.Append($"![Test accuracy and cost against step size]({Figure})\n\n");
        text.Append(TextTables.Markdown(
            ["step (ms)", "window = latency (ms)", "model", "block", "steps / clip", "blocks", "parameters",
             "MMACs / s of audio", "test accuracy (%)"],
            result.Cells.Zip(costs, (cell, cost) => (IReadOnlyList<string>)
            [
                Milliseconds(cost.Model.StepMs), Milliseconds(cost.LatencyMs), cell.Configuration.Family, cell.Configuration.Block,
                TextTables.Integer(cost.Model.Steps), TextTables.Integer(ModelArchitecture.BlockCount(cost.Model)),
                cost.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                TextTables.Number(cost.MacsPerSecond / 1e6, 1), TableCollector.MeanStd(cell),
            ])));
        text.Append('\n').Append(TableCollector.Completion(result));
        return text.ToString();
    }

    /// <summary>"12.5", "100": milliseconds without trailing zeros.</summary>
    private static string Milliseconds(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Two panels over the step (log scale): accuracy (mean ± std) and MACs per second, a line per model and block.</summary>
    private static void Draw(TableResult result, IReadOnlyList<StepCost> costs, string path)
    {
        var plots = Figures.Grid(1, 2);
        var (accuracy, cost) = (plots.GetPlot(0), plots.GetPlot(1));
        var lines = result.Cells.Zip(costs, (cell, c) => (Cell: cell, Cost: c))
            .GroupBy(x => (x.Cell.Configuration.Family, x.Cell.Configuration.Block)).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var color = Figures.Palette[i % Figures.Palette.Length];
            var name = $"{lines[i].Key.Family} {lines[i].Key.Block}";
            var finished = lines[i].Where(x => x.Cell.Accuracies.Count > 0).ToList();
            if (finished.Count > 0)
            {
                double[] xs = [.. finished.Select(x => Math.Log2(x.Cost.Model.StepMs))];
                var means = accuracy.Add.Scatter(xs, [.. finished.Select(x => x.Cell.Mean)], color);
                means.LegendText = name;
                means.LineWidth = 2;
                means.MarkerSize = 7;
                var spread = accuracy.Add.ErrorBar(xs, [.. finished.Select(x => x.Cell.Mean)],
                    [.. finished.Select(x => double.IsNaN(x.Cell.Std) ? 0 : x.Cell.Std)]);
                spread.LineColor = color;
            }
            double[] steps = [.. lines[i].Select(x => Math.Log2(x.Cost.Model.StepMs))];
            double[] megaMacs = [.. lines[i].Select(x => x.Cost.MacsPerSecond / 1e6)];
            var macs = cost.Add.Scatter(steps, megaMacs, color);
            macs.LegendText = name;
            macs.LineWidth = 2;
            macs.MarkerSize = 7;
        }
        double[] ticks = [.. StepGrid.StepsMs.Select(Math.Log2)];
        string[] labels = [.. StepGrid.StepsMs.Select(Milliseconds)];
        foreach (var plot in new[] { accuracy, cost })
        {
            plot.Axes.Bottom.SetTicks(ticks, labels);
            plot.Axes.SetLimitsX(ticks[0] - 0.3, ticks[^1] + 0.3); // the whole grid, even while runs are missing
            plot.XLabel("step (ms); window = 2 × step");
            plot.ShowLegend(Alignment.LowerLeft);
        }
        accuracy.Title("Test accuracy (mean ± std over seeds)");
        accuracy.YLabel("test accuracy (%)");
        cost.Title("Cost when run continuously");
        cost.YLabel("MMACs per second of audio");
        cost.ShowLegend(Alignment.UpperRight);
        Figures.SavePng(plots, path, 1200, 480);
    }
}
