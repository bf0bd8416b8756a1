using ScottPlot;
using TfCrnn.IO;

namespace TfCrnn.Streaming;

/// <summary>The pictures of a stream evaluation.</summary>
internal static class StreamFigures
{
    private const double PanelSeconds = 30;
    private const int PanelWidth = 1800;
    private const int PanelHeight = 260;

    /// <summary>
    /// The smoothed posteriors over time, one panel per 30 s: the best keyword's probability (grey), each labelled
    /// word's own probability around it (blue) over its shaded span, detections (green: hit, red: false alarm) and
    /// the threshold.
    /// </summary>
    public static void SavePosteriors(StreamEvaluationReport report, IReadOnlyList<StreamLabel> labels, string path)
    {
        var seconds = Math.Max(report.Score.AudioSeconds, 1e-3);
        var panels = (int)Math.Ceiling(seconds / PanelSeconds);
        var labelSet = report.Model.Labels;
        var times = report.Steps.Select(s => s.End).ToArray();
        var best = report.Steps.Select(s => (double)labelSet.KeywordIndices.Max(k => s.Posteriors[k])).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels);
        for (var p = 0; p < panels; p++)
        {
            var plot = multiplot.GetPlot(p);
            var (from, to) = (p * PanelSeconds, Math.Min(seconds, (p + 1) * PanelSeconds));
            foreach (var label in labels.Where(l => l.End >= from && l.Start <= to))
            {
                var span = plot.Add.HorizontalSpan(label.Start, label.End);
                span.FillStyle.Color = Colors.SkyBlue.WithAlpha(0.35);
                span.LineStyle.Width = 0;
                var text = plot.Add.Text(label.Word, label.Start, 1.12);
                text.LabelFontSize = 11;
                if (labelSet.IndexOf(label.Word) is { } k)
                {
                    var window = Enumerable.Range(0, times.Length).Where(i => times[i] >= label.Start - 0.5 && times[i] <= label.End + 1.5).ToArray();
                    if (window.Length > 1)
                    {
                        var line = plot.Add.Scatter(window.Select(i => times[i]).ToArray(), window.Select(i => (double)report.Steps[i].Posteriors[k]).ToArray());
                        line.Color = Colors.Blue;
                        line.MarkerSize = 0;
                    }
                }
            }
            var visible = Enumerable.Range(0, times.Length).Where(i => times[i] >= from && times[i] <= to).ToArray();
            if (visible.Length > 1)
            {
                var line = plot.Add.Scatter(visible.Select(i => times[i]).ToArray(), visible.Select(i => best[i]).ToArray());
                line.Color = Colors.Gray;
                line.MarkerSize = 0;
            }
            var threshold = plot.Add.HorizontalLine(report.Recognizer.Threshold);
            threshold.LinePattern = LinePattern.Dashed;
            threshold.Color = Colors.DarkOrange;
            foreach (var d in report.Score.Detections.Where(d => d.Detection.End >= from && d.Detection.End <= to))
            {
                var color = d.Outcome == DetectionOutcome.Hit ? Colors.Green : Colors.Red;
                var marker = plot.Add.Marker(d.Detection.End, d.Detection.Score);
                marker.Color = color;
                marker.Size = 9;
                var text = plot.Add.Text(d.Detection.Word, d.Detection.End, -0.08);
                text.LabelFontColor = color;
                text.LabelFontSize = 11;
            }
            plot.Axes.SetLimits(from, from + PanelSeconds, -0.2, 1.25);
            plot.Axes.Left.Label.Text = "probability";
            if (p == panels - 1) plot.Axes.Bottom.Label.Text = "seconds";
        }
        multiplot.GetPlot(0).Title($"{report.Model.Variant}, {report.Recognizer.State}: smoothed posteriors (grey: best keyword, blue: the labelled word); " +
            "detections green = hit, red = false alarm");
        AtomicFile.WriteAllBytes(path, multiplot.Render(PanelWidth, PanelHeight * panels + 40).GetImageBytes(ImageFormat.Png));
    }

    /// <summary>The threshold sweep as a detection-error trade-off: miss rate against false alarms per hour.</summary>
    public static void SaveDet(StreamEvaluationReport report, string path)
    {
        var plot = new Plot();
        var points = report.Sweep;
        var curve = plot.Add.Scatter(points.Select(p => p.FalseAlarmsPerHour).ToArray(), points.Select(p => 1 - p.Recall).ToArray());
        curve.LegendText = "threshold sweep";
        foreach (var p in points.Where((_, i) => i % 2 == 0 || i == points.Count - 1))
            plot.Add.Text(p.Threshold.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), p.FalseAlarmsPerHour, 1 - p.Recall).LabelFontSize = 10;
        var chosen = plot.Add.Marker(report.Score.FalseAlarmsPerHour, report.Score.MissRate);
        chosen.Color = Colors.Red;
        chosen.Size = 10;
        chosen.LegendText = $"threshold {report.Recognizer.Threshold}";
        plot.Title($"{report.Model.Variant}: detection-error trade-off ({report.Recognizer.State}, smoothing {report.Recognizer.SmoothingSteps})");
        plot.Axes.Bottom.Label.Text = "false alarms per hour";
        plot.Axes.Left.Label.Text = "miss rate";
        plot.ShowLegend();
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(900, 600, ImageFormat.Png));
    }
}
