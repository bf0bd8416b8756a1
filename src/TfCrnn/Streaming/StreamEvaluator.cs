using System.Diagnostics;
using TfCrnn.Audio;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>
/// Runs a streaming recognizer over a labelled recording and scores it (<see cref="StreamScoring"/>). The recording is
/// read in chunks and only what the scores and figures need is kept (the detections, those of every threshold of the
/// sweep, a bounded <see cref="PosteriorTrace"/>), so memory does not grow with the recording's length.
/// </summary>
public static class StreamEvaluator
{
    /// <summary>The thresholds of the sweep.</summary>
    public static readonly IReadOnlyList<float> SweepThresholds =
        [0.05f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.85f, 0.9f, 0.92f, 0.94f, 0.95f, 0.96f, 0.97f, 0.98f, 0.99f, 0.995f, 0.999f];

    /// <summary>
    /// The <c>stream-eval</c> verb: loads the model and the labels, recognizes the recording as it is read, scores,
    /// writes the files (<c>posteriors.csv</c> as the steps come).
    /// </summary>
    public static Task<StreamEvaluationReport> RunAsync(StreamEvaluationOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default) => Task.Run(async () =>
        {
            options.Validate();
            TorchThreads.Apply(options.Threads);
            var labels = StreamLabels.Read(options.LabelsPath);
            using var model = StepModels.Open(options.Checkpoint, options.Engine, options.Threads, options.EncoderDirectory);
            await using var file = WavFile.OpenRead(options.AudioPath);
            var audio = new AudioStreamReader(file, model.Info.SampleRate, options.AudioPath) { AcceptsRawPcm = false };
            using var posteriors = options.OutputDirectory is null ? null : StreamEvaluationFiles.BeginPosteriors(options.OutputDirectory, model.Info.Labels);
            var report = await EvaluateAsync(model, audio, labels, options.Recognizer, progress, posteriors is null ? null : posteriors.Write, cancellationToken);
            if (options.OutputDirectory is not null)
            {
                posteriors!.Commit();
                StreamEvaluationFiles.Write(report, labels, options.OutputDirectory);
            }
            return report;
        }, CancellationToken.None);

    /// <summary>Recognizes the recording <paramref name="audio"/> reads (at the model's rate) and scores the detections against <paramref name="labels"/>.</summary>
    /// <param name="stepped">Called with every decision step, as it is decided.</param>
    public static async Task<StreamEvaluationReport> EvaluateAsync(IStepModel model, AudioStreamReader audio, IReadOnlyList<StreamLabel> labels,
        RecognizerOptions recognizerOptions, IProgress<TaskProgress>? progress = null, Action<RecognitionStep>? stepped = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentNullException.ThrowIfNull(labels);
        var recognizer = new StreamingRecognizer(model, recognizerOptions);
        var notes = new List<string>();
        audio.Noted += (_, note) => notes.Add(note);
        // Every threshold of the sweep decides on the same smoothed posteriors as they come.
        var sweepRules = SweepThresholds.Select(t => new DetectionRule(model.Info, recognizerOptions with { Threshold = t })).ToList();
        var swept = SweepThresholds.Select(_ => new List<Detection>()).ToList();
        var detections = new List<Detection>();
        var trace = new PosteriorTrace(model.Info.Labels, labels);
        recognizer.Stepped += (_, step) =>
        {
            if (step.Detection is { } detection) detections.Add(detection);
            for (var i = 0; i < sweepRules.Count; i++)
                if (sweepRules[i].Observe(step.Posteriors, step.End) is { } decided)
                    swept[i].Add(decided);
            trace.Add(step);
            stepped?.Invoke(step);
        };

        var buffer = new float[model.Info.Hop];
        var samples = 0L;
        var reported = -1L;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        int read;
        while ((read = await audio.ReadAsync(buffer, cancellationToken)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            recognizer.Push(buffer.AsSpan(0, read));
            samples += read;
            if (recognizer.Steps % 100 == 0 && recognizer.Steps != reported)
            {
                reported = recognizer.Steps;
                progress?.Report(new TaskProgress("recognizing", samples, Math.Max(samples, audio.Length ?? 0)));
            }
        }
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        progress?.Report(new TaskProgress("recognizing", samples, samples));

        var listened = recognizerOptions.KeywordIndices(model.Info.Labels).Select(k => model.Info.Labels[k]).ToHashSet(StringComparer.Ordinal);
        var known = labels.Where(l => listened.Contains(l.Word)).ToList();
        var seconds = samples / (double)model.Info.SampleRate;
        var score = StreamScoring.Score(known, detections, seconds);
        var sweep = SweepThresholds.Select((threshold, i) =>
        {
            var at = StreamScoring.Score(known, swept[i], seconds);
            return new SweepPoint(threshold, at.Precision, at.Recall, at.F1, at.FalseAlarmsPerHour);
        }).ToList();
        return new StreamEvaluationReport(score, labels.Count - known.Count, model.Info, recognizer.Options, recognizer.LanesPerStep,
            clock.Elapsed.TotalSeconds, cpu.TotalSeconds, trace, sweep, notes);
    }
}
