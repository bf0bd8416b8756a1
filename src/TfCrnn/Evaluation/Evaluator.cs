using TfCrnn.Data;
using TfCrnn.Models;
using TfCrnn.Progress;
using TfCrnn.Interop;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Evaluation;

/// <summary>A clip's prediction: the last step's most probable class and the softmax of every step.</summary>
/// <param name="StepProbabilities">[step][class] softmax probabilities (one step for the CNN).</param>
public sealed record ClipPrediction(Clip Clip, int Predicted, float[][] StepProbabilities)
{
    /// <summary>Probability of <paramref name="classIndex"/> at every step.</summary>
    public float[] Trajectory(int classIndex) => StepProbabilities.Select(p => p[classIndex]).ToArray();
}

/// <summary>Scores of a model on a set of clips (SPEC.md section 4: the last step decides).</summary>
/// <param name="Accuracy">Fraction of clips whose last-step prediction is right.</param>
/// <param name="Loss">Mean last-step cross-entropy.</param>
public sealed record EvaluationReport(double Accuracy, double Loss, int Clips, ConfusionMatrix Confusion,
    IReadOnlyList<ClassMetrics> PerClass, IReadOnlyList<ClipPrediction> Predictions);

/// <summary>Runs a model over clips in eval mode and scores its last-step predictions.</summary>
public static class Evaluator
{
    /// <summary>The <c>eval</c> verb: loads the checkpoint and the dataset, scores the split, writes the files.</summary>
    public static Task<EvaluationReport> RunAsync(EvaluationOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            if (options.Threads > 0) set_num_threads(options.Threads);
            using var model = CheckpointLocator.LoadModel(options.Checkpoint);
            using var data = SpeechCommandsDataset.Open(options.DataPath, progress: progress);
            var report = Evaluate(model, data, data.Clips(options.Split), options.BatchSize, progress, cancellationToken);
            if (options.OutputDirectory is not null)
                EvaluationFiles.Write(report, options.OutputDirectory);
            return report;
        }, CancellationToken.None);

    public static EvaluationReport Evaluate(SpeechCommandModel model, SpeechCommandsDataset data, IReadOnlyList<Clip> clips,
        int batchSize = 64, IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (clips.Count == 0)
            throw new DatasetException($"{data.Source}: no clips to evaluate");
        return Evaluate(model, new BatchLoader(data, clips,
            new BatchLoaderOptions(batchSize, Shuffle: false, DropLast: false, Augment: false, Seed: 0), model.Device()),
            progress, cancellationToken);
    }

    /// <summary>Scores the clips of <paramref name="loader"/>'s epoch 0 (in its order, with its augmentation if any).</summary>
    internal static EvaluationReport Evaluate(SpeechCommandModel model, BatchLoader loader, IProgress<TaskProgress>? progress,
        CancellationToken cancellationToken)
    {
        var accumulator = new EvaluationAccumulator(Data.Labels.All.Take(model.Config.Classes).ToList());
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            var done = 0;
            foreach (var batch in loader.Epoch(0, cancellationToken))
            {
                using var scope = NewDisposeScope();
                using (batch)
                using (var output = model.forward(batch.Waveforms))
                    accumulator.Add(batch.Clips, output.Logits, batch.Labels);
                progress?.Report(new TaskProgress("evaluating", done += batch.Clips.Count, loader.Clips.Count));
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return accumulator.ToReport();
    }

    internal static Device Device(this nn.Module module) =>
        module.parameters().FirstOrDefault()?.device ?? CPU;
}

/// <summary>Collects per-batch model outputs into an <see cref="EvaluationReport"/>.</summary>
internal sealed class EvaluationAccumulator(IReadOnlyList<string> labels)
{
    private readonly ConfusionMatrix confusion = new(labels);
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
        for (var b = 0; b < batch; b++)
        {
            var stepProbabilities = Enumerable.Range(0, steps)
                .Select(s => probabilities.AsSpan((b * steps + s) * classes, classes).ToArray()).ToArray();
            predictions.Add(new ClipPrediction(clips[b], (int)predicted[b], stepProbabilities));
            confusion.Add(clips[b].LabelIndex, (int)predicted[b]);
        }
    }

    public EvaluationReport ToReport() => new(
        confusion.Accuracy, predictions.Count == 0 ? double.NaN : lossSum / predictions.Count, predictions.Count,
        confusion, confusion.PerClass(), predictions);
}
