using TfCrnn.Data;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Evaluation;

/// <summary>A clip's prediction: the last step's most probable class and the softmax of every step.</summary>
/// <param name="Target">The clip's true class under the model's labels.</param>
/// <param name="StepProbabilities">[step][class] softmax probabilities (one step for the CNN).</param>
public sealed record ClipPrediction(Clip Clip, int Target, int Predicted, float[][] StepProbabilities)
{
    /// <summary>Whether the predicted class is the true one.</summary>
    public bool Correct => Predicted == Target;

    /// <summary>Probability of <paramref name="classIndex"/> at every step.</summary>
    public float[] Trajectory(int classIndex) => StepProbabilities.Select(p => p[classIndex]).ToArray();
}

/// <summary>Scores of a model on a set of clips (the last step decides, also for many-to-many models: docs/reference-implementation.md, "Training").</summary>
/// <param name="Accuracy">Fraction of the keyword clips whose last-step prediction is right (every clip for the 35-word
/// task; a keyword clip predicted as a rejection class is a miss).</param>
/// <param name="Loss">Mean last-step cross-entropy over every evaluated example.</param>
/// <param name="Clips">Evaluated examples.</param>
/// <param name="Rejection">For a model with rejection classes: how often it rejected; else null.</param>
public sealed record EvaluationReport(double Accuracy, double Loss, int Clips, ConfusionMatrix Confusion,
    IReadOnlyList<ClassMetrics> PerClass, IReadOnlyList<ClipPrediction> Predictions, RejectionFigures? Rejection);

/// <summary>What a model with rejection classes did with keyword and non-keyword examples.</summary>
/// <param name="KeywordClips">Examples of a keyword.</param>
/// <param name="KeywordsRejected">Keyword examples predicted as a rejection class (misses in <see cref="EvaluationReport.Accuracy"/>).</param>
/// <param name="OtherClips">Examples of a rejection class (other words, noise).</param>
/// <param name="OthersRejected">Of those, predicted as a rejection class.</param>
public sealed record RejectionFigures(int KeywordClips, int KeywordsRejected, int OtherClips, int OthersRejected)
{
    /// <summary>The fraction of keyword clips the model rejected.</summary>
    public double FalseRejectionRate => KeywordClips == 0 ? 0 : KeywordsRejected / (double)KeywordClips;

    /// <summary>The fraction of other-word clips the model rejected.</summary>
    public double CorrectRejectionRate => OtherClips == 0 ? 0 : OthersRejected / (double)OtherClips;
}

/// <summary>Runs a model over clips in eval mode and scores its last-step predictions.</summary>
public static class Evaluator
{
    /// <summary>The <c>eval</c> verb: loads the checkpoint and the dataset, scores the split, writes the files.</summary>
    public static Task<EvaluationReport> RunAsync(EvaluationOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            options.Validate();
            if (options.TwelveLabel)
                throw new OptionException("--twelve-label", "is scored by TwelveLabelBenchmark.RunAsync, not by the split evaluation");
            TorchThreads.Apply(options.Threads);
            using var model = ClipClassifier.Open(options.Checkpoint, options.Engine, options.Threads, options.Inference, options.FrontEnd);
            using var data = SpeechCommandsDataset.Open(options.DataPath, progress: progress);
            var report = Evaluate(model, data, data.Clips(options.Split), options.BatchSize, progress, cancellationToken);
            if (options.OutputDirectory is not null)
                EvaluationFiles.Write(report, options.OutputDirectory);
            return report;
        }, CancellationToken.None);

    /// <summary>
    /// Scores the clips of the model's task among <paramref name="clips"/> (<see cref="DatasetLabels.ClassOf"/>) in eval
    /// mode, through an <see cref="InferenceModel"/> of the model's current weights (BatchNorm folded, <paramref name="inference"/>'s
    /// precision; float32 by default). With <paramref name="rejection"/>, a task with rejection classes is scored on the
    /// examples training validates on: the keyword clips, a fixed draw of the other clips and background-noise slices.
    /// </summary>
    public static EvaluationReport Evaluate(SpeechCommandModel model, SpeechCommandsDataset data, IReadOnlyList<Clip> clips,
        int batchSize = 64, IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default,
        RejectionMix? rejection = null, InferenceOptions? inference = null)
    {
        using var classifier = ClipClassifier.Of(model, inference);
        return Evaluate(classifier, data, clips, batchSize, progress, cancellationToken, rejection);
    }

    /// <inheritdoc cref="Evaluate(SpeechCommandModel, SpeechCommandsDataset, IReadOnlyList{Clip}, int, IProgress{TaskProgress}?, CancellationToken, RejectionMix?, InferenceOptions?)"/>
    internal static EvaluationReport Evaluate(ClipClassifier model, SpeechCommandsDataset data, IReadOnlyList<Clip> clips,
        int batchSize = 64, IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default,
        RejectionMix? rejection = null)
    {
        var labels = model.Labels;
        var loader = new BatchLoader(data, clips,
            new BatchLoaderOptions(batchSize, Shuffle: false, DropLast: false, Augment: false, Seed: 0) { Labels = labels, Rejection = rejection },
            model.Device);
        if (loader.ExamplesPerEpoch == 0)
            throw new DatasetException($"{data.Source}: no clips of the model's task ({labels}) to evaluate");
        return Evaluate(model, loader, progress, cancellationToken);
    }

    /// <summary>Scores the examples of <paramref name="loader"/>'s epoch 0 (in its order, with its augmentation if any).</summary>
    internal static EvaluationReport Evaluate(ClipClassifier model, BatchLoader loader, IProgress<TaskProgress>? progress,
        CancellationToken cancellationToken)
    {
        var accumulator = new EvaluationAccumulator(model.Labels);
        var done = 0;
        foreach (var batch in loader.Epoch(0, cancellationToken))
        {
            using var scope = NewDisposeScope();
            using (batch)
            using (var logits = model.Logits(batch.Waveforms))
                accumulator.Add(batch.Clips, logits, batch.Labels);
            progress?.Report(new TaskProgress("evaluating", done += batch.Clips.Count, loader.ExamplesPerEpoch));
        }
        return accumulator.ToReport();
    }
}

/// <summary>Collects per-batch model outputs into an <see cref="EvaluationReport"/>.</summary>
internal sealed class EvaluationAccumulator(LabelSet labels)
{
    private readonly ConfusionMatrix confusion = new(labels.Labels);
    private readonly List<ClipPrediction> predictions = [];
    private double lossSum;

    /// <param name="logits">(steps, batch, classes).</param>
    /// <param name="targets">(batch) int64.</param>
    public void Add(IReadOnlyList<Clip> clips, Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        lossSum += LastStepLoss.Compute(logits, targets).item<float>() * (double)clips.Count;
        var (steps, batch, classes) = ((int)logits.shape[0], (int)logits.shape[1], (int)logits.shape[2]);
        var probabilities = logits.softmax(-1).permute(1, 0, 2).contiguous().cpu().data<float>().ToArray();
        var predicted = logits[-1].argmax(-1).cpu().data<long>().ToArray();
        var target = targets.cpu().data<long>().ToArray();
        for (var b = 0; b < batch; b++)
        {
            var stepProbabilities = Enumerable.Range(0, steps)
                .Select(s => probabilities.AsSpan((b * steps + s) * classes, classes).ToArray()).ToArray();
            predictions.Add(new ClipPrediction(clips[b], (int)target[b], (int)predicted[b], stepProbabilities));
            confusion.Add((int)target[b], (int)predicted[b]);
        }
    }

    public EvaluationReport ToReport()
    {
        var keywords = predictions.Where(p => labels.IsKeyword(p.Target)).ToList();
        var others = predictions.Where(p => !labels.IsKeyword(p.Target)).ToList();
        var rejection = labels.HasRejection
            ? new RejectionFigures(keywords.Count, keywords.Count(p => !labels.IsKeyword(p.Predicted)),
                others.Count, others.Count(p => !labels.IsKeyword(p.Predicted)))
            : null;
        var accuracy = keywords.Count == 0 ? 0 : keywords.Count(p => p.Correct) / (double)keywords.Count;
        return new EvaluationReport(accuracy, predictions.Count == 0 ? double.NaN : lossSum / predictions.Count, predictions.Count,
            confusion, confusion.PerClass(), predictions, rejection);
    }
}
