using ScottPlot;
using TfCrnn.IO;

namespace TfCrnn.Analysis;

/// <summary>The common look of the analysis figures (ScottPlot 5) and their atomic PNG output.</summary>
internal static class Figures
{
    /// <summary>Line colours: the first for the baseline / true command / excitation, the rest in order.</summary>
    public static readonly Color[] Palette =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#d62728"), Color.FromHex("#2ca02c"),
        Color.FromHex("#ff7f0e"), Color.FromHex("#9467bd"), Color.FromHex("#8c564b"),
    ];

    public static void SavePng(Plot plot, string path, int width, int height) =>
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));

    public static void SavePng(Multiplot plots, string path, int width, int height)
    {
        using var image = plots.Render(width, height);
        AtomicFile.WriteAllBytes(path, image.GetImageBytes(ImageFormat.Png));
    }

    /// <summary>A grid of <paramref name="rows"/> × <paramref name="columns"/> plots, row by row.</summary>
    public static Multiplot Grid(int rows, int columns)
    {
        var plots = new Multiplot();
        plots.AddPlots(rows * columns);
        plots.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        return plots;
    }

    /// <summary>Rows and columns for <paramref name="panels"/> panels: one row up to three, then a near-square grid.</summary>
    public static (int Rows, int Columns) PanelGrid(int panels)
    {
        var columns = panels <= 3 ? Math.Max(1, panels) : (int)Math.Ceiling(Math.Sqrt(panels));
        return ((panels + columns - 1) / columns, columns);
    }

    /// <summary>Names at the integer positions 0, 1, … of an axis.</summary>
    public static void CategoryTicks(IAxis axis, IReadOnlyList<string> names) =>
        axis.SetTicks([.. Enumerable.Range(0, names.Count).Select(i => (double)i)], [.. names]);

    /// <summary>
    /// A heat map of fractions in [0, 1] with the value printed in every cell, row 0 at the top,
    /// rows named on the left and columns at the bottom.
    /// </summary>
    public static void FractionHeatmap(Plot plot, double[,] values, IReadOnlyList<string> rowNames,
        IReadOnlyList<string> columnNames, string title)
    {
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++)
            {
                // The heat map puts row 0 at the top, i.e. at y = rows − 1.
                var label = plot.Add.Text(values[i, j].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), j, rows - 1 - i);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = 14;
                label.LabelFontColor = values[i, j] > 0.6 ? Colors.Black : Colors.White;
            }
        CategoryTicks(plot.Axes.Bottom, columnNames);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i))], [.. rowNames]);
        plot.Axes.Margins(0, 0);
        plot.Title(title);
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.Add.ColorBar(heatmap);
        plot.HideGrid();
    }
}
