using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TfCrnn.IO;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>
/// Writes a <see cref="StreamEvaluationReport"/> as files: <c>stream-eval.json</c> (<see cref="ToJson"/>),
/// <c>detections.csv</c> (every detection and its outcome), <c>posteriors.csv</c> (every step's time and smoothed class
/// probabilities, written as the steps come: <see cref="BeginPosteriors"/>), <c>sweep.csv</c>, <c>posteriors.png</c> (the
/// smoothed posteriors over time with the labels and detections) and <c>det.png</c> (miss rate against false alarms per hour).
/// </summary>
internal static class StreamEvaluationFiles
{
    public const string Json = "stream-eval.json";
    public const string DetectionsCsv = "detections.csv";
    public const string PosteriorsCsv = "posteriors.csv";
    public const string SweepCsv = "sweep.csv";
    public const string PosteriorsPng = "posteriors.png";
    public const string DetPng = "det.png";

    public static void Write(StreamEvaluationReport report, IReadOnlyList<StreamLabel> labels, string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, Json), ToJson(report, indented: true));
        var detections = new StringBuilder("start,end,word,score,outcome,label_start,label_end,label_word\n");
        foreach (var d in report.Score.Detections)
            detections.AppendLine(Invariant(
                $"{d.Detection.Start:0.###},{d.Detection.End:0.###},{d.Detection.Word},{d.Detection.Score:0.####},{d.Outcome.ToString().ToLowerInvariant()},{d.Label?.Start:0.###},{d.Label?.End:0.###},{d.Label?.Word}"));
        AtomicFile.WriteAllText(Path.Combine(directory, DetectionsCsv), detections.ToString());
        var sweep = new StringBuilder("threshold,precision,recall,f1,false_alarms_per_hour\n");
        foreach (var p in report.Sweep)
            sweep.AppendLine(Invariant($"{p.Threshold},{p.Precision:0.####},{p.Recall:0.####},{p.F1:0.####},{p.FalseAlarmsPerHour:0.##}"));
        AtomicFile.WriteAllText(Path.Combine(directory, SweepCsv), sweep.ToString());
        StreamFigures.SavePosteriors(report, labels, Path.Combine(directory, PosteriorsPng));
        StreamFigures.SaveDet(report, Path.Combine(directory, DetPng));
    }

    /// <summary><c>posteriors.csv</c> in <paramref name="directory"/>, a row per step as it comes; it appears once committed.</summary>
    public static PosteriorsWriter BeginPosteriors(string directory, LabelSet labels) => new(Path.Combine(directory, PosteriorsCsv), labels);

    /// <summary>Writes <c>posteriors.csv</c>: the header <c>end,LABEL,...</c>, then a step's end time and smoothed probabilities a row.</summary>
    public sealed class PosteriorsWriter : IDisposable
    {
        private readonly AtomicFile.PendingFile file;
        private readonly StreamWriter writer;

        public PosteriorsWriter(string path, LabelSet labels)
        {
            file = AtomicFile.Begin(path);
            writer = new StreamWriter(file.Stream, new UTF8Encoding(false));
            writer.WriteLine("end," + string.Join(',', labels.Labels));
        }

        public void Write(RecognitionStep step) =>
            writer.WriteLine(Invariant($"{step.End:0.###},") + string.Join(',', step.Posteriors.Select(p => p.ToString("0.#####", CultureInfo.InvariantCulture))));

        public void Commit()
        {
            writer.Dispose();
            file.Commit();
        }

        public void Dispose()
        {
            writer.Dispose();
            file.Dispose();
        }
    }

    /// <summary>
    /// <c>{"precision", "recall", "f1", "false_alarms_per_hour", "latency_ms" (median), "latency_p90_ms", "rtf" (wall clock),
    /// "rtf_cpu" (processor time), "labels",
    /// "hits", "detections", "false_alarms", "ignored_labels", "audio_seconds", "variant", "state", "lanes_per_step",
    /// "smoothing_steps", "threshold", "refractory_seconds", "keywords" (those listened for, null for all), "sweep": [{threshold, precision, recall, f1, false_alarms_per_hour}]}</c>.
    /// </summary>
    public static string ToJson(StreamEvaluationReport report, bool indented = false)
    {
        var score = report.Score;
        static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
        var json = new JsonObject
        {
            ["precision"] = score.Precision,
            ["recall"] = score.Recall,
            ["f1"] = score.F1,
            ["false_alarms_per_hour"] = score.FalseAlarmsPerHour,
            ["latency_ms"] = Number(score.LatencyPercentileMs(50)),
            ["latency_p90_ms"] = Number(score.LatencyPercentileMs(90)),
            ["rtf"] = report.RealTimeFactor,
            ["rtf_cpu"] = report.CpuRealTimeFactor,
            ["labels"] = score.Labels,
            ["hits"] = score.Hits,
            ["detections"] = score.Detections.Count,
            ["false_alarms"] = score.FalseAlarms,
            ["ignored_labels"] = report.IgnoredLabels,
            ["audio_seconds"] = score.AudioSeconds,
            ["variant"] = report.Model.Variant,
            ["state"] = report.Recognizer.State.ToString(),
            ["lanes_per_step"] = report.LanesPerStep,
            ["smoothing_steps"] = report.Recognizer.SmoothingSteps,
            ["threshold"] = report.Recognizer.Threshold,
            ["refractory_seconds"] = report.Recognizer.RefractorySeconds,
            ["keywords"] = report.Recognizer.Keywords is { } keywords ? new JsonArray([.. keywords.Select(w => (JsonNode)w)]) : null,
            ["sweep"] = new JsonArray([.. report.Sweep.Select(p => (JsonNode)new JsonObject
            {
                ["threshold"] = p.Threshold,
                ["precision"] = p.Precision,
                ["recall"] = p.Recall,
                ["f1"] = p.F1,
                ["false_alarms_per_hour"] = p.FalseAlarmsPerHour,
            })]),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
