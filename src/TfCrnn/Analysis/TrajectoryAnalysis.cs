using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Progress;

namespace TfCrnn.Analysis;

/// <summary>One class's mean softmax probability at every step.</summary>
internal sealed record ProbabilityTrajectory(string Label, double[] MeanProbability);

/// <summary>How the prediction of one command's clips evolves over the steps (the paper's prediction trajectories; docs/reference-implementation.md, "Analyses").</summary>
/// <param name="Lines">The true command first, then its top confusers.</param>
internal sealed record CommandTrajectory(string Command, int Clips, double[] StepSeconds, IReadOnlyList<ProbabilityTrajectory> Lines);

/// <summary>Mean per-step probabilities of the true command and its confusers.</summary>
internal static class TrajectoryAnalysis
{
    /// <summary>The paper's commands when none are named (its failure-analysis examples).</summary>
    public static readonly IReadOnlyList<string> DefaultWords = ["forward", "learn", "nine"];

    /// <summary>
    /// The <c>analyze trajectory</c> verb: evaluates the checkpoint on the clips of the chosen words (default
    /// <see cref="DefaultWords"/>) and writes <see cref="TrajectoryReport"/>'s files.
    /// </summary>
    public static Task<AnalysisOutput<IReadOnlyList<CommandTrajectory>>> RunAsync(ModelAnalysisOptions options,
        IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            using var inputs = AnalysisInputs.Open(options, progress);
            using var model = CheckpointLocator.LoadModel(options.Checkpoint);
            var commands = inputs.ClipsOf(options.Words is { Count: > 0 } words ? words : DefaultWords, model.Config);
            var report = Evaluator.Evaluate(model, inputs.Data, [.. commands.SelectMany(c => c.Clips)], options.BatchSize, progress, cancellationToken);
            var trajectories = FromPredictions(report.Predictions, [.. commands.Select(c => c.Class)], report.Confusion.Labels,
                model.Config.Geometry);
            return new AnalysisOutput<IReadOnlyList<CommandTrajectory>>(trajectories,
                TrajectoryReport.Write(trajectories, options.OutputDirectory, model.Config.Variant));
        }, cancellationToken);

    /// <summary>The trajectory of each of <paramref name="classes"/> from an evaluation's predictions.</summary>
    public static IReadOnlyList<CommandTrajectory> FromPredictions(IReadOnlyList<ClipPrediction> predictions, IReadOnlyList<int> classes,
        IReadOnlyList<string> labels, StepGeometry timeline)
    {
        var byClass = predictions.ToLookup(p => p.Target, p => p.StepProbabilities);
        return [.. classes.Select(c => ForCommand(c, [.. byClass[c]], labels, timeline))];
    }

    /// <summary>
    /// Averages the step probabilities of the clips of one command. The confusers are the other classes with
    /// the highest probability averaged over clips and steps.
    /// </summary>
    /// <param name="clips">Per clip of the command, its softmax probabilities [step][class].</param>
    public static CommandTrajectory ForCommand(int trueClass, IReadOnlyList<float[][]> clips, IReadOnlyList<string> labels,
        StepGeometry timeline, int confusers = 2)
    {
        if (clips.Count == 0)
            throw new TfCrnnException($"no clips of '{labels[trueClass]}' to average");
        var mean = new double[timeline.StepsPerClip, labels.Count];
        foreach (var steps in clips)
        {
            if (steps.Length != timeline.StepsPerClip || steps.Any(p => p.Length != labels.Count))
                throw new ArgumentException($"expected {timeline.StepsPerClip} steps of {labels.Count} probabilities per clip");
            for (var t = 0; t < timeline.StepsPerClip; t++)
                for (var k = 0; k < labels.Count; k++)
                    mean[t, k] += steps[t][k] / (double)clips.Count;
        }
        double[] Line(int k) => [.. Enumerable.Range(0, timeline.StepsPerClip).Select(t => mean[t, k])];
        var shown = Enumerable.Range(0, labels.Count)
            .Where(k => k != trueClass)
            .OrderByDescending(k => Line(k).Average())
            .ThenBy(k => k)
            .Take(confusers)
            .Prepend(trueClass);
        return new CommandTrajectory(labels[trueClass], clips.Count, timeline.EndSeconds(),
            [.. shown.Select(k => new ProbabilityTrajectory(labels[k], Line(k)))]);
    }
}
