using System.Text;
using ScottPlot;
using TfCrnn.IO;

namespace TfCrnn.Analysis;

/// <summary>Writes prediction trajectories as CSV, a PNG (one panel per command) and markdown.</summary>
internal static class TrajectoryReport
{
    public const string Csv = "trajectory.csv";
    public const string Figure = "trajectory.png";
    public const string Markdown = "trajectory.md";

    /// <summary>Writes the three files into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<CommandTrajectory> trajectories, string directory, string modelName)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, Csv), TextTables.Csv(
            ["command", "clips", "label", "role", "step", "time_s", "mean_probability"],
            trajectories.SelectMany(c => c.Lines.SelectMany((line, rank) => line.MeanProbability.Select((p, t) => (IReadOnlyList<string>)
                [c.Command, TextTables.Integer(c.Clips), line.Label, rank == 0 ? "true" : "confuser",
                 TextTables.Integer(t), TextTables.Number(c.StepSeconds[t], 3), TextTables.Number(p)])))));
        Draw(trajectories, Path.Combine(directory, Figure), modelName);
        AtomicFile.WriteAllText(Path.Combine(directory, Markdown), Summary(trajectories, modelName));
        return [.. new[] { Csv, Figure, Markdown }.Select(name => Path.Combine(directory, name))];
    }

    /// <summary>The markdown section; see <see cref="FailureReport.Summary"/> for the parameters.</summary>
    public static string Summary(IReadOnlyList<CommandTrajectory> trajectories, string modelName, string heading = "#", string figurePrefix = "")
    {
        var text = new StringBuilder();
        text.Append($"{heading} Prediction trajectories of {modelName}\n\n");
        text.Append("Softmax probability at the end of each step's window, averaged over the clips of each command: " +
                    "the true command and the two commands most probable on average besides it.\n\n");
        text.Append($"![Prediction trajectories]({figurePrefix}{Figure})\n\n");
        foreach (var command in trajectories)
        {
            text.Append($"{command.Command} ({command.Clips} clips):\n\n");
            text.Append(TextTables.Markdown(["label", .. command.StepSeconds.Select(s => TextTables.Number(s, 1) + " s")],
                command.Lines.Select(line => (IReadOnlyList<string>)
                    [line.Label, .. line.MeanProbability.Select(p => TextTables.Number(p, 3))])));
            text.Append('\n');
        }
        return text.ToString();
    }

    private static void Draw(IReadOnlyList<CommandTrajectory> trajectories, string path, string modelName)
    {
        var (rows, columns) = Figures.PanelGrid(trajectories.Count);
        var plots = Figures.Grid(rows, columns);
        for (var i = 0; i < trajectories.Count; i++)
        {
            var command = trajectories[i];
            var plot = plots.GetPlot(i);
            for (var rank = 0; rank < command.Lines.Count; rank++)
            {
                var line = plot.Add.Scatter(command.StepSeconds, command.Lines[rank].MeanProbability, Figures.Palette[rank % Figures.Palette.Length]);
                line.LegendText = rank == 0 ? $"{command.Lines[rank].Label} (true)" : command.Lines[rank].Label;
                line.LineWidth = rank == 0 ? 3 : 2;
                line.MarkerSize = 7;
                if (rank > 0) line.LinePattern = LinePattern.Dashed;
            }
            plot.Axes.Bottom.SetTicks(command.StepSeconds, [.. command.StepSeconds.Select(s => TextTables.Number(s, 1))]);
            plot.Axes.SetLimitsY(-0.02, 1.02);
            plot.Title($"{command.Command} ({command.Clips} clips) — {modelName}");
            plot.XLabel("time (s), end of step window");
            plot.YLabel("mean softmax probability");
            plot.ShowLegend(Alignment.UpperLeft);
        }
        Figures.SavePng(plots, path, 520 * columns, 400 * rows);
    }
}
