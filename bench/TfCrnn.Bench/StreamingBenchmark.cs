using System.Globalization;
using System.Text;
using TfCrnn.Audio;
using TfCrnn.Runtime;
using TfCrnn.Streaming;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench streaming --checkpoint DIR [--checkpoint DIR ...] --keywords DIR --none DIR [--policies P,P,...]
/// [--threads 1] [--max-false-alarms 5]</c>: every state policy of every model over a keyword stream and a stream
/// without keywords (folders holding <c>stream.wav</c> and <c>labels.csv</c>, as <c>tfcrnn synth --stream</c> writes them).
/// The model runs once per policy and stream (posteriors unsmoothed); smoothing, threshold and refractory time are
/// then swept on those posteriors. Prints a Markdown table per model: the real-time factor of the policy, its best F1
/// on the keyword stream, and the best F1 among the settings with at most <c>--max-false-alarms</c> an hour on the
/// other stream, with those settings.
/// </summary>
internal static class StreamingBenchmark
{
    private static readonly int[] Smoothings = [1, 2, 3, 5];
    private static readonly double[] Refractories = [0.5, 1.0];

    private sealed record Setting(int Smoothing, double Refractory, float Threshold, StreamScore Keywords, StreamScore None);

    public static async Task<int> RunAsync(string[] args)
    {
        var checkpoints = Values(args, "--checkpoint");
        var keywords = Values(args, "--keywords").Single();
        var none = Values(args, "--none").Single();
        var policies = (Values(args, "--policies").SingleOrDefault() ?? "sliding,staggered:2:18,staggered:3:12,reset:18,carry")
            .Split(',').Select(StatePolicy.Parse).ToList();
        var threads = int.Parse(Values(args, "--threads").SingleOrDefault() ?? "1", CultureInfo.InvariantCulture);
        var maxFalseAlarms = double.Parse(Values(args, "--max-false-alarms").SingleOrDefault() ?? "5", CultureInfo.InvariantCulture);
        set_num_threads(threads);

        var output = new StringBuilder();
        foreach (var checkpoint in checkpoints)
        {
            using var model = TorchStepModel.Load(checkpoint);
            var keywordAudio = Path.Combine(keywords, "stream.wav");
            var noneAudio = Path.Combine(none, "stream.wav");
            var labels = StreamLabels.Read(Path.Combine(keywords, "labels.csv"));
            output.AppendLine(Invariant($"### {model.Info.Variant} ({checkpoint})"));
            output.AppendLine();
            output.AppendLine(Invariant($"Keyword stream {WavFile.Read(keywordAudio).Length / 16000.0 / 60:0.#} min ({labels.Count} keywords), other stream {WavFile.Read(noneAudio).Length / 16000.0 / 60:0.#} min; {threads} thread(s)."));
            output.AppendLine();
            output.AppendLine($"| state | lane-steps per step | RTF (processor time) | best F1 (smoothing, refractory, threshold; FA/h on the other stream) | best F1 with ≤ {maxFalseAlarms} FA/h | its recall, precision | its latency median / p90 |");
            output.AppendLine("| --- | ---: | ---: | --- | --- | --- | --- |");
            foreach (var policy in policies)
            {
                Console.Error.WriteLine($"{model.Info.Variant}: {policy}");
                var raw = new RecognizerOptions { State = policy, SmoothingSteps = 1, Threshold = 1 };
                var (onKeywords, keywordSteps) = await Evaluate(model, keywordAudio, labels, raw);
                var (onNone, noneSteps) = await Evaluate(model, noneAudio, [], raw);
                var settings = Sweep(model.Info, onKeywords, keywordSteps, onNone, noneSteps, labels).ToList();
                var best = settings.MaxBy(s => s.Keywords.F1)!;
                var quiet = settings.Where(s => s.None.FalseAlarmsPerHour <= maxFalseAlarms).MaxBy(s => s.Keywords.F1);
                var rtf = (onKeywords.ProcessingCpuSeconds + onNone.ProcessingCpuSeconds) / (onKeywords.Score.AudioSeconds + onNone.Score.AudioSeconds);
                output.AppendLine(Invariant($"| {policy} | {onKeywords.LanesPerStep} | {rtf:0.000} | {best.Keywords.F1:0.000} ({Describe(best)}) | ") +
                    (quiet is null ? "none |  |  |" : Invariant(
                        $"{quiet.Keywords.F1:0.000} ({Describe(quiet)}) | {quiet.Keywords.Recall:0.000}, {quiet.Keywords.Precision:0.000} | {quiet.Keywords.LatencyPercentileMs(50):0} / {quiet.Keywords.LatencyPercentileMs(90):0} ms |")));
            }
            output.AppendLine();
        }
        Console.WriteLine(output.ToString());
        return 0;
    }

    /// <summary>A stream evaluation of a recording, and every step's posteriors, which the sweep decides on again.</summary>
    private static async Task<(StreamEvaluationReport Report, List<RecognitionStep> Steps)> Evaluate(IStepModel model, string wav,
        IReadOnlyList<StreamLabel> labels, RecognizerOptions options)
    {
        await using var file = WavFile.OpenRead(wav);
        var steps = new List<RecognitionStep>();
        var report = await StreamEvaluator.EvaluateAsync(model, new AudioStreamReader(file, model.Info.SampleRate, wav), labels, options, stepped: steps.Add);
        return (report, steps);
    }

    private static string Describe(Setting s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Smoothing}, {s.Refractory} s, {s.Threshold}; {s.None.FalseAlarmsPerHour:0.#} FA/h");

    /// <summary>Every smoothing, refractory time and threshold, decided on the unsmoothed posteriors of both streams.</summary>
    private static IEnumerable<Setting> Sweep(StepModelInfo model, StreamEvaluationReport keywords, List<RecognitionStep> keywordSteps,
        StreamEvaluationReport none, List<RecognitionStep> noneSteps, IReadOnlyList<StreamLabel> labels)
    {
        var known = labels.Where(l => model.Labels.IndexOf(l.Word) is { } k && model.Labels.IsKeyword(k)).ToList();
        foreach (var smoothing in Smoothings)
        {
            var smoothKeywords = Smooth(keywordSteps, smoothing, model.Labels);
            var smoothNone = Smooth(noneSteps, smoothing, model.Labels);
            foreach (var refractory in Refractories)
                foreach (var threshold in StreamEvaluator.SweepThresholds)
                {
                    var options = new RecognizerOptions { SmoothingSteps = smoothing, RefractorySeconds = refractory, Threshold = threshold };
                    yield return new Setting(smoothing, refractory, threshold,
                        StreamScoring.Score(known, Detect(smoothKeywords, model, options), keywords.Score.AudioSeconds),
                        StreamScoring.Score([], Detect(smoothNone, model, options), none.Score.AudioSeconds));
                }
        }
    }

    /// <summary>The detections <paramref name="options"/>' rule decides on already smoothed posteriors.</summary>
    private static List<Detection> Detect(IReadOnlyList<RecognitionStep> steps, StepModelInfo model, RecognizerOptions options)
    {
        var rule = new DetectionRule(model, options);
        return [.. steps.Select(s => rule.Observe(s.Posteriors, s.End)).OfType<Detection>()];
    }

    private static List<RecognitionStep> Smooth(IReadOnlyList<RecognitionStep> steps, int smoothing, LabelSet labels)
    {
        var smoother = new PosteriorSmoother(smoothing, labels.Count);
        return [.. steps.Select(s => s with { Posteriors = smoother.Add(s.Posteriors), Detection = null })];
    }

    private static List<string> Values(string[] args, string name) =>
        [.. args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1])];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
