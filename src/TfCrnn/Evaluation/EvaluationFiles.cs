using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TfCrnn.IO;

namespace TfCrnn.Evaluation;

/// <summary>
/// Writes an <see cref="EvaluationReport"/> as files: <c>eval.json</c>, <c>per_class.csv</c>,
/// <c>confusion.csv</c> (rows = true label, columns = predicted), <c>confusion.png</c> (rows
/// normalised by the true-label count) and <c>predictions.csv</c>. Each file is written atomically.
/// </summary>
/// <remarks>
/// <c>predictions.csv</c> has one row per clip: <c>file,label,predicted,correct,confidence</c> (label: the clip's class
/// under the model's labels, e.g. <c>_unknown_</c> for another word)
/// (last-step probability of the predicted word), then <c>p_label_step1…</c>: the probability of the
/// TRUE word at every step, the prediction trajectory the paper's analysis 2 averages; for the
/// CNN there is one step.
/// </remarks>
internal static class EvaluationFiles
{
    public const string Json = "eval.json";
    public const string PerClassCsv = "per_class.csv";
    public const string ConfusionCsv = "confusion.csv";
    public const string ConfusionPng = "confusion.png";
    public const string PredictionsCsv = "predictions.csv";

    public static void Write(EvaluationReport report, string directory)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, Json), ToJson(report));
        AtomicFile.WriteAllText(Path.Combine(directory, PerClassCsv), PerClass(report));
        AtomicFile.WriteAllText(Path.Combine(directory, ConfusionCsv), Confusion(report.Confusion));
        AtomicFile.WriteAllText(Path.Combine(directory, PredictionsCsv), Predictions(report));
        ConfusionHeatmap.Save(report.Confusion, Path.Combine(directory, ConfusionPng), "Confusion (rows: true word, normalised)");
    }

    /// <summary><c>{"accuracy": x, "loss": x, "clips": N, "per_class": {"word": {precision, recall, f1, support}}}</c>;
    /// per_class lists the classes that occur as a label or a prediction. A model with rejection classes adds
    /// <c>"rejection": {keyword_clips, keywords_rejected, false_rejection_rate, other_clips, others_rejected, correct_rejection_rate}</c>.</summary>
    public static string ToJson(EvaluationReport report)
    {
        var perClass = new JsonObject();
        foreach (var (metrics, index) in report.PerClass.Select((m, i) => (m, i)))
        {
            if (metrics.Support == 0 && report.Confusion.Predicted(index) == 0) continue;
            perClass[metrics.Label] = new JsonObject
            {
                ["precision"] = metrics.Precision,
                ["recall"] = metrics.Recall,
                ["f1"] = metrics.F1,
                ["support"] = metrics.Support,
            };
        }
        var json = new JsonObject
        {
            ["accuracy"] = report.Accuracy,
            ["loss"] = report.Loss,
            ["clips"] = report.Clips,
            ["per_class"] = perClass,
        };
        if (report.Rejection is { } rejection)
            json["rejection"] = new JsonObject
            {
                ["keyword_clips"] = rejection.KeywordClips,
                ["keywords_rejected"] = rejection.KeywordsRejected,
                ["false_rejection_rate"] = rejection.FalseRejectionRate,
                ["other_clips"] = rejection.OtherClips,
                ["others_rejected"] = rejection.OthersRejected,
                ["correct_rejection_rate"] = rejection.CorrectRejectionRate,
            };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string PerClass(EvaluationReport report)
    {
        var csv = new StringBuilder("label,precision,recall,f1,support\n");
        foreach (var m in report.PerClass)
            csv.AppendLine(Row(m.Label, m.Precision, m.Recall, m.F1, m.Support));
        return csv.ToString();
    }

    private static string Confusion(ConfusionMatrix confusion)
    {
        var csv = new StringBuilder(Row(["true\\predicted", .. confusion.Labels])).Append('\n');
        for (var i = 0; i < confusion.Classes; i++)
            csv.AppendLine(Row([confusion.Labels[i], .. Enumerable.Range(0, confusion.Classes).Select(j => (object)confusion[i, j])]));
        return csv.ToString();
    }

    private static string Predictions(EvaluationReport report)
    {
        var steps = report.Predictions.Count == 0 ? 0 : report.Predictions[0].StepProbabilities.Length;
        var labels = report.Confusion.Labels;
        var csv = new StringBuilder(Row(["file", "label", "predicted", "correct", "confidence",
            .. Enumerable.Range(1, steps).Select(s => (object)$"p_label_step{s}")])).Append('\n');
        foreach (var p in report.Predictions)
            csv.AppendLine(Row([p.Clip.RelativePath, labels[p.Target], labels[p.Predicted], p.Correct ? 1 : 0,
                p.StepProbabilities[^1][p.Predicted], .. p.Trajectory(p.Target).Select(v => (object)v)]));
        return csv.ToString();
    }

    private static string Row(params object[] values) => string.Join(',', values.Select(v => v switch
    {
        string s when s.Contains(',') || s.Contains('"') => $"\"{s.Replace("\"", "\"\"")}\"",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString(),
    }));
}
