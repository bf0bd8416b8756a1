using ScottPlot;
using TfCrnn.IO;

namespace TfCrnn.Evaluation;

/// <summary>A confusion matrix as a PNG heat map: rows = true word (top to bottom), columns = predicted, recall-normalised.</summary>
internal static class ConfusionHeatmap
{
    public static void Save(ConfusionMatrix confusion, string path, string title)
    {
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(confusion.RowNormalized());
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        var n = confusion.Classes;
        double[] positions = [.. Enumerable.Range(0, n).Select(i => (double)i)];
        string[] labels = [.. confusion.Labels];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        // Heatmap row 0 is drawn at the top, at y = n − 1.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. positions.Select(p => n - 1 - p)], labels);
        plot.Axes.Bottom.MinimumSize = 110; // room for the rotated word labels
        plot.Axes.Margins(0, 0);
        plot.Axes.Bottom.Label.Text = "predicted";
        plot.Axes.Left.Label.Text = "true";
        plot.Title(title);
        var size = 200 + 18 * n;
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(size + 120, size, ImageFormat.Png));
    }
}
