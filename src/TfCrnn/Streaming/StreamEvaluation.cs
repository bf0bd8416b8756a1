using System.Diagnostics;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime;
using TfCrnn.Checkpoints;

namespace TfCrnn.Streaming;

/// <summary>What <c>tfcrnn stream-eval</c> does, callable from C#: <see cref="StreamEvaluator.RunAsync"/>.</summary>
public sealed record StreamEvaluationOptions
{
    /// <summary>A run folder, a model folder, a weights file with config.json beside it, or an exported ONNX folder.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The stream: a WAV file of any rate and channels.</summary>
    public required string AudioPath { get; init; }

    /// <summary>Its <c>labels.csv</c> (<see cref="StreamLabels"/>).</summary>
    public required string LabelsPath { get; init; }

    /// <summary>Where to write <see cref="StreamEvaluationFiles"/>; none when null.</summary>
    public string? OutputDirectory { get; init; }

    public RecognizerOptions Recognizer { get; init; } = new();

    /// <summary>Intra-op threads of the engine (the real-time factor is measured with them); 1 by default.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>TorchSharp for a checkpoint, ONNX Runtime for an exported folder (<see cref="Checkpoints.InferenceEngines.Resolve"/>).</summary>
    public Checkpoints.InferenceEngine Engine { get; init; }

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public StreamEvaluationOptions Validate()
    {
        OptionChecks.Required("--checkpoint", Checkpoint);
        OptionChecks.Required("--audio", AudioPath);
        OptionChecks.Required("--labels", LabelsPath);
        Recognizer.Validate();
        OptionChecks.AtLeast("--threads", Threads, 1);
        return this;
    }
}

/// <summary>One threshold of the sweep: the same posteriors, detections decided again at another threshold.</summary>
public sealed record SweepPoint(float Threshold, double Precision, double Recall, double F1, double FalseAlarmsPerHour);

/// <summary>What <c>stream-eval</c> measured.</summary>
/// <param name="Score">Detections against the labels of words the model knows.</param>
/// <param name="IgnoredLabels">Labels of words that are not keywords of the model, or not listened for, left out of the score.</param>
/// <param name="LanesPerStep">Model lane-steps per decision step under the state policy.</param>
/// <param name="ProcessingSeconds">Time spent recognizing (framing, model, smoothing, detection), model loading excluded.</param>
/// <param name="ProcessingCpuSeconds">Processor time the process spent meanwhile: the cost on a machine that other work does not share.</param>
/// <param name="Steps">Every decision step with its smoothed posteriors.</param>
/// <param name="Sweep">The threshold sweep (detection-error trade-off).</param>
public sealed record StreamEvaluationReport(StreamScore Score, int IgnoredLabels, StepModelInfo Model, RecognizerOptions Recognizer,
    int LanesPerStep, double ProcessingSeconds, double ProcessingCpuSeconds, IReadOnlyList<RecognitionStep> Steps, IReadOnlyList<SweepPoint> Sweep)
{
    /// <summary>Processing time / audio time.</summary>
    public double RealTimeFactor => Score.AudioSeconds <= 0 ? 0 : ProcessingSeconds / Score.AudioSeconds;

    /// <summary>Processor time / audio time.</summary>
    public double CpuRealTimeFactor => Score.AudioSeconds <= 0 ? 0 : ProcessingCpuSeconds / Score.AudioSeconds;
}

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
