using ScottPlot;
using TfCrnn.IO;

namespace TfCrnn.Streaming;

/// <summary>The pictures of a stream evaluation.</summary>
internal static class StreamFigures
{
    /// <summary>Seconds a panel shows when the recording fits in <see cref="MaxPanels"/> of them.</summary>
    private const double PanelSeconds = 30;

    /// <summary>Panels at most: a longer recording gets longer panels (a multiple of 30 s).</summary>
    public const int MaxPanels = 20;

    public const int PanelWidth = 1800;
    private const int PanelHeight = 260;

    /// <summary>
    /// The smoothed posteriors over time in at most <see cref="MaxPanels"/> panels, of 30 s each up to 10 minutes and
    /// longer beyond: the best keyword's probability (grey; for long recordings the maximum over each run of
    /// <see cref="PosteriorTrace.StepsPerPoint"/> steps, <see cref="PosteriorTrace"/>), each labelled word's own
    /// probability around it (blue) over its shaded span, detections (green: hit, red: false alarm) and the threshold.
    /// </summary>
    public static void SavePosteriors(StreamEvaluationReport report, IReadOnlyList<StreamLabel> labels, string path)
    {
        var seconds = Math.Max(report.Score.AudioSeconds, 1e-3);
        var panelSeconds = PanelSeconds * Math.Max(1, Math.Ceiling(seconds / (PanelSeconds * MaxPanels)));
        var panels = (int)Math.Ceiling(seconds / panelSeconds);
        var best = report.Trace.Best;
        var curves = report.Trace.Labelled.ToDictionary(c => c.Label, c => c, (IEqualityComparer<StreamLabel>)ReferenceEqualityComparer.Instance);
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels);
        for (var p = 0; p < panels; p++)
        {
            var plot = multiplot.GetPlot(p);
            var (from, to) = (p * panelSeconds, Math.Min(seconds, (p + 1) * panelSeconds));
            foreach (var label in labels.Where(l => l.End >= from && l.Start <= to))
            {
                var span = plot.Add.HorizontalSpan(label.Start, label.End);
                span.FillStyle.Color = Colors.SkyBlue.WithAlpha(0.35);
                span.LineStyle.Width = 0;
                var text = plot.Add.Text(label.Word, label.Start, 1.12);
                text.LabelFontSize = 11;
                if (curves.TryGetValue(label, out var curve) && curve.Points.Count > 1)
                {
                    var line = plot.Add.Scatter(curve.Points.Select(q => q.Time).ToArray(), curve.Points.Select(q => q.Probability).ToArray());
                    line.Color = Colors.Blue;
                    line.MarkerSize = 0;
                }
            }
            var visible = best.Where(q => q.Time >= from && q.Time <= to).ToArray();
            if (visible.Length > 1)
            {
                var line = plot.Add.Scatter(visible.Select(q => q.Time).ToArray(), visible.Select(q => q.Probability).ToArray());
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
            plot.Axes.SetLimits(from, from + panelSeconds, -0.2, 1.25);
            plot.Axes.Left.Label.Text = "probability";
            if (p == panels - 1) plot.Axes.Bottom.Label.Text = "seconds";
        }
        var pooled = report.Trace.StepsPerPoint > 1 ? $", the maximum of every {report.Trace.StepsPerPoint} steps" : "";
        multiplot.GetPlot(0).Title($"{report.Model.Variant}, {report.Recognizer.State}: smoothed posteriors (grey: best keyword{pooled}, blue: the labelled word); " +
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
