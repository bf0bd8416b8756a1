using System.Text;
using ScottPlot;
using TfCrnn.IO;

namespace TfCrnn.Analysis;

/// <summary>Writes the temporal excitation analysis as CSV, a block × command PNG grid and markdown.</summary>
internal static class ExcitationReport
{
    public const string Csv = "excitation.csv";
    public const string CorrelationCsv = "excitation-correlation.csv";
    public const string Figure = "excitation.png";
    public const string Markdown = "excitation.md";

    /// <summary>Writes the four files into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(ExcitationSummary summary, string directory, string modelName)
    {
        Directory.CreateDirectory(directory);
        var seconds = summary.Timeline.EndSeconds();
        AtomicFile.WriteAllText(Path.Combine(directory, Csv), TextTables.Csv(
            ["command", "clips", "block", "step", "time_s", "mean_scale", "mean_rms"],
            summary.Commands.SelectMany(c => Enumerable.Range(0, c.Blocks).SelectMany(b => seconds.Select((s, t) => (IReadOnlyList<string>)
                [c.Command, TextTables.Integer(c.Clips), TextTables.Integer(b + 1), TextTables.Integer(t), TextTables.Number(s, 3), TextTables.Number(c.Scale[b, t], 6), TextTables.Number(c.Energy[t], 6)])))));
        AtomicFile.WriteAllText(Path.Combine(directory, CorrelationCsv), TextTables.Csv(
            ["block", "command", "pearson_r"],
            summary.Blocks.SelectMany(block => summary.Commands
                .Select((c, i) => (IReadOnlyList<string>)[TextTables.Integer(block.Block + 1), c.Command, TextTables.Number(block.PerCommand[i])])
                .Append([TextTables.Integer(block.Block + 1), "mean", TextTables.Number(block.Mean)]))));
        Draw(summary, Path.Combine(directory, Figure));
        AtomicFile.WriteAllText(Path.Combine(directory, Markdown), Summary(summary, modelName));
        return [.. new[] { Csv, CorrelationCsv, Figure, Markdown }.Select(name => Path.Combine(directory, name))];
    }

    /// <summary>The markdown section; see <see cref="FailureReport.Summary"/> for the parameters.</summary>
    public static string Summary(ExcitationSummary summary, string modelName, string heading = "#", string figurePrefix = "")
    {
        var text = new StringBuilder();
        text.Append($"{heading} Temporal excitation of {modelName}\n\n");
        text.Append("Per block and step, the excitation scale averaged over the block's channels and the command's clips, " +
                    "against the RMS energy of the step's input window (scaled waveform) averaged over the same clips. " +
                    "Blocks are numbered from 1 (the first block after the stem).\n\n");
        text.Append($"![Excitation scale and input energy per block and command]({figurePrefix}{Figure})\n\n");
        text.Append("Pearson r between scale and energy, computed per command across the " +
                    $"{summary.Timeline.StepsPerClip} steps, then averaged over the commands:\n\n");
        text.Append(TextTables.Markdown(["block", .. summary.Commands.Select(c => $"{c.Command} ({c.Clips})"), "mean r"],
            summary.Blocks.Select(block => (IReadOnlyList<string>)
                [TextTables.Integer(block.Block + 1), .. block.PerCommand.Select(r => Correlation(r)), Correlation(block.Mean)])));
        if (summary.Blocks.Any(b => b.PerCommand.Any(double.IsNaN)))
            text.Append("\nn/a: the block's mean scale is the same at every step (e.g. an excitation bottleneck whose ReLUs are all " +
                        "inactive, so that the gate is a constant), which leaves r undefined.\n");
        var first = summary.Blocks[0].Mean;
        var last = summary.Blocks[^1].Mean;
        text.Append($"\nThe paper's finding (first block r < 0, last block r > 0): first block {Correlation(first)}, " +
                    $"last block {Correlation(last)}: **{(summary.PaperClaimHolds ? "reproduced" : "not reproduced")}**.\n");
        return text.ToString();
    }

    private static void Draw(ExcitationSummary summary, string path)
    {
        var seconds = summary.Timeline.EndSeconds();
        var blocks = summary.Commands[0].Blocks;
        var columns = summary.Commands.Count;
        var plots = Figures.Grid(blocks, columns);
        for (var b = 0; b < blocks; b++)
            for (var c = 0; c < columns; c++)
            {
                var command = summary.Commands[c];
                var plot = plots.GetPlot(b * columns + c);
                var scale = plot.Add.Scatter(seconds, command.BlockScale(b), Figures.Palette[0]);
                scale.LineWidth = 2;
                var energy = plot.Add.Scatter(seconds, command.Energy, Figures.Palette[1]);
                energy.LinePattern = LinePattern.Dashed;
                energy.Axes.YAxis = plot.Axes.Right;
                plot.Title($"block {b + 1} · {command.Command} · r = {Correlation(command.Correlation[b])}", size: 13);
                plot.Axes.Left.Label.Text = "excitation scale";
                plot.Axes.Left.Label.ForeColor = Figures.Palette[0];
                plot.Axes.Right.Label.Text = "input RMS";
                plot.Axes.Right.Label.ForeColor = Figures.Palette[1];
                plot.Axes.Left.Label.FontSize = plot.Axes.Right.Label.FontSize = 13;
                plot.Axes.Bottom.SetTicks(seconds, [.. seconds.Select(s => TextTables.Number(s, 1))]);
                if (b == blocks - 1) plot.XLabel("time (s)", size: 13);
                // Legends would cover the curves of these small panels; the axis labels carry the line colours instead.
                plot.HideLegend();
            }
        Figures.SavePng(plots, path, 340 * columns, 230 * blocks);
    }

    /// <summary>r with its sign, or "n/a" where it is undefined.</summary>
    public static string Correlation(double r) => double.IsNaN(r) ? "n/a" : TextTables.Signed(r, 2);
}
