using System.Diagnostics;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>Runs a streaming recognizer over a labelled recording and scores it (<see cref="StreamScoring"/>).</summary>
public static class StreamEvaluator
{
    /// <summary>The thresholds of the sweep.</summary>
    public static readonly IReadOnlyList<float> SweepThresholds =
        [0.05f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.85f, 0.9f, 0.92f, 0.94f, 0.95f, 0.96f, 0.97f, 0.98f, 0.99f, 0.995f, 0.999f];

    /// <summary>The <c>stream-eval</c> verb: loads the model, the audio and the labels, recognizes, scores, writes the files.</summary>
    public static Task<StreamEvaluationReport> RunAsync(StreamEvaluationOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            options.Validate();
            TorchThreads.Apply(options.Threads);
            var labels = StreamLabels.Read(options.LabelsPath);
            using var model = StepModels.Open(options.Checkpoint, options.Engine, options.Threads);
            var (samples, _) = StreamAudio.Read(options.AudioPath, model.Info.SampleRate);
            var report = Evaluate(model, samples, labels, options.Recognizer, progress, cancellationToken);
            if (options.OutputDirectory is not null)
                StreamEvaluationFiles.Write(report, labels, options.OutputDirectory);
            return report;
        }, CancellationToken.None);

    /// <summary>Recognizes <paramref name="samples"/> (mono, at the model's rate) and scores the detections against <paramref name="labels"/>.</summary>
    public static StreamEvaluationReport Evaluate(IStepModel model, float[] samples, IReadOnlyList<StreamLabel> labels,
        RecognizerOptions recognizerOptions, IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var recognizer = new StreamingRecognizer(model, recognizerOptions);
        var steps = new List<RecognitionStep>();
        recognizer.Stepped += (_, step) => steps.Add(step);
        var chunk = model.Info.Hop;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < samples.Length; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            recognizer.Push(samples.AsSpan(start, Math.Min(chunk, samples.Length - start)));
            if (recognizer.Steps % 100 == 0)
                progress?.Report(new TaskProgress("recognizing", start + chunk, samples.Length));
        }
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        progress?.Report(new TaskProgress("recognizing", samples.Length, samples.Length));

        var listened = recognizerOptions.KeywordIndices(model.Info.Labels).Select(k => model.Info.Labels[k]).ToHashSet(StringComparer.Ordinal);
        var known = labels.Where(l => listened.Contains(l.Word)).ToList();
        var seconds = samples.Length / (double)model.Info.SampleRate;
        var detections = steps.Where(s => s.Detection is not null).Select(s => s.Detection!).ToList();
        var score = StreamScoring.Score(known, detections, seconds);
        var sweep = SweepThresholds.Select(threshold =>
        {
            var swept = StreamScoring.Score(known, Detect(steps, model.Info, recognizerOptions with { Threshold = threshold }), seconds);
            return new SweepPoint(threshold, swept.Precision, swept.Recall, swept.F1, swept.FalseAlarmsPerHour);
        }).ToList();
        return new StreamEvaluationReport(score, labels.Count - known.Count, model.Info, recognizer.Options, recognizer.LanesPerStep,
            clock.Elapsed.TotalSeconds, cpu.TotalSeconds, steps, sweep);
    }

    /// <summary>The detections <paramref name="options"/>' rule decides on already smoothed posteriors.</summary>
    public static IReadOnlyList<Detection> Detect(IReadOnlyList<RecognitionStep> steps, StepModelInfo model, RecognizerOptions options)
    {
        var rule = new DetectionRule(model, options);
        return [.. steps.Select(s => rule.Observe(s.Posteriors, s.End)).OfType<Detection>()];
    }
}
