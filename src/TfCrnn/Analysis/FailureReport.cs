using System.Text;
using ScottPlot;
using TfCrnn.IO;

namespace TfCrnn.Analysis;

/// <summary>Writes a <see cref="FailureComparison"/> as CSV, PNG figures and a markdown summary.</summary>
internal static class FailureReport
{
    public const string F1Csv = "failure-f1.csv";
    public const string ConfusionCsv = "failure-confusion.csv";
    public const string F1Figure = "failure-f1-difference.png";
    public const string ConfusionFigure = "failure-confusion.png";
    public const string Markdown = "failure.md";

    /// <summary>Writes the five files into <paramref name="directory"/>; returns their paths.</summary>
    /// <param name="baselineName">Legend name of the baseline (e.g. "crnn-resse").</param>
    /// <param name="candidateName">Legend name of the candidate (e.g. "tfcrnn-resse").</param>
    public static IReadOnlyList<string> Write(FailureComparison comparison, string directory, string baselineName, string candidateName)
    {
        Directory.CreateDirectory(directory);
        var focus = comparison.Focus;
        AtomicFile.WriteAllText(Path.Combine(directory, F1Csv), TextTables.Csv(
            ["command", "baseline_f1", "candidate_f1", "difference"],
            comparison.ByDifference.Select(f => (IReadOnlyList<string>)
                [f.Command, TextTables.Number(f.BaselineF1), TextTables.Number(f.CandidateF1), TextTables.Number(f.Difference)])));
        AtomicFile.WriteAllText(Path.Combine(directory, ConfusionCsv), TextTables.Csv(
            ["model", "true", "predicted", "fraction"],
            new[] { (Name: baselineName, Rows: focus.Baseline), (Name: candidateName, Rows: focus.Candidate) }
                .SelectMany(model => Cells(focus, model.Rows).Select(cell => (IReadOnlyList<string>)
                    [model.Name, cell.True, cell.Predicted, TextTables.Number(cell.Fraction)]))));
        DrawDifferences(comparison, Path.Combine(directory, F1Figure), baselineName, candidateName);
        DrawConfusions(focus, Path.Combine(directory, ConfusionFigure), baselineName, candidateName);
        AtomicFile.WriteAllText(Path.Combine(directory, Markdown), Summary(comparison, baselineName, candidateName, heading: "#"));
        return [.. new[] { F1Csv, ConfusionCsv, F1Figure, ConfusionFigure, Markdown }.Select(name => Path.Combine(directory, name))];
    }

    /// <summary>
    /// The markdown summary; <paramref name="heading"/> is the level of its title ("#" for a file of its own,
    /// "##" inside a larger report). Figures are linked by file name, relative to the markdown file.
    /// </summary>
    public static string Summary(FailureComparison comparison, string baselineName, string candidateName, string heading = "#",
        string figurePrefix = "")
    {
        var text = new StringBuilder();
        text.Append($"{heading} Failure analysis: {candidateName} vs {baselineName}\n\n");
        text.Append($"Per-command F1 on the evaluated split, difference = {candidateName} − {baselineName}, largest gain first.\n\n");
        text.Append($"![F1 difference per command]({figurePrefix}{F1Figure})\n\n");
        text.Append(TextTables.Markdown(["command", $"F1 {baselineName}", $"F1 {candidateName}", "difference"],
            comparison.ByDifference.Select(f => (IReadOnlyList<string>)
                [f.Command, TextTables.Number(f.BaselineF1), TextTables.Number(f.CandidateF1), TextTables.Signed(f.Difference)])));
        var gains = comparison.ByDifference.Count(f => f.Difference > 0);
        var losses = comparison.ByDifference.Count(f => f.Difference < 0);
        text.Append($"\n{candidateName} has a higher F1 on {gains} commands and a lower one on {losses} of {comparison.ByDifference.Count}.\n\n");

        text.Append($"{heading}# Confusions of {string.Join(", ", comparison.Commands)}\n\n");
        foreach (var command in comparison.Commands)
        {
            var confusers = comparison.Confusers[command];
            text.Append($"- {command}: most often confused with {(confusers.Count == 0 ? "nothing (no errors)" : string.Join(", ", confusers))}\n");
        }
        text.Append($"\nRows are true commands normalised by their clip count (each row sums to 1, the diagonal is the recall); " +
                    $"\"{ConfusionFocus.Other}\" collects every other predicted command.\n\n");
        text.Append($"![Confusion rows of both models]({figurePrefix}{ConfusionFigure})\n\n");
        foreach (var (name, rows) in new[] { (baselineName, comparison.Focus.Baseline), (candidateName, comparison.Focus.Candidate) })
        {
            text.Append($"{name}:\n\n");
            text.Append(TextTables.Markdown(["true \\ predicted", .. comparison.Focus.Columns],
                comparison.Focus.Labels.Select((label, i) => (IReadOnlyList<string>)
                    [label, .. Enumerable.Range(0, comparison.Focus.Columns.Count).Select(j => TextTables.Number(rows[i, j], 3))])));
            text.Append('\n');
        }
        return text.ToString();
    }

    private static IEnumerable<(string True, string Predicted, double Fraction)> Cells(ConfusionFocus focus, double[,] rows) =>
        focus.Labels.SelectMany((label, i) => focus.Columns.Select((column, j) => (label, column, rows[i, j])));

    private static void DrawDifferences(FailureComparison comparison, string path, string baselineName, string candidateName)
    {
        var plot = new Plot();
        var commands = comparison.ByDifference;
        // Largest gain at the top: position n − 1 − rank.
        var bars = commands.Select((f, rank) => new Bar
        {
            Position = commands.Count - 1 - rank,
            Value = f.Difference,
            FillColor = f.Difference >= 0 ? Figures.Palette[2] : Figures.Palette[1],
            LineWidth = 0,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        plot.Axes.Left.SetTicks([.. bars.Select(b => b.Position)], [.. commands.Select(f => f.Command)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Add.VerticalLine(0, color: Colors.Black, width: 1);
        plot.Title($"Per-command F1 difference: {candidateName} − {baselineName}");
        plot.XLabel($"F1({candidateName}) − F1({baselineName})");
        plot.YLabel("command");
        plot.Axes.Margins(horizontal: 0.1, vertical: 0.02);
        Figures.SavePng(plot, path, 800, Math.Max(360, 160 + 22 * commands.Count));
    }

    private static void DrawConfusions(ConfusionFocus focus, string path, string baselineName, string candidateName)
    {
        var plots = Figures.Grid(1, 2);
        Figures.FractionHeatmap(plots.GetPlot(0), focus.Baseline, focus.Labels, focus.Columns, $"{baselineName} (rows sum to 1)");
        Figures.FractionHeatmap(plots.GetPlot(1), focus.Candidate, focus.Labels, focus.Columns, $"{candidateName} (rows sum to 1)");
        var side = 260 + 70 * focus.Columns.Count;
        Figures.SavePng(plots, path, 2 * side, side - 40);
    }
}
