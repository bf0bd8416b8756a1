using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Progress;

namespace TfCrnn.Analysis;

/// <summary>One command's F1 under both models (the paper's failure analysis).</summary>
internal sealed record CommandF1(string Command, double BaselineF1, double CandidateF1)
{
    /// <summary>Candidate − baseline: positive where the candidate (the TF-CRNN) does better.</summary>
    public double Difference => CandidateF1 - BaselineF1;
}

/// <summary>
/// Confusion rows of chosen commands and their confusers under both models, normalised by the true-label
/// count. Columns are <see cref="Labels"/> followed by one "other" column holding every remaining class,
/// so that each row sums to 1 and its diagonal entry is the recall.
/// </summary>
/// <param name="Labels">Rows (true class) and the first columns (predicted class): the chosen commands, then their confusers.</param>
/// <param name="Baseline">(Labels.Count, Labels.Count + 1) fractions.</param>
/// <param name="Candidate">(Labels.Count, Labels.Count + 1) fractions.</param>
internal sealed record ConfusionFocus(IReadOnlyList<string> Labels, double[,] Baseline, double[,] Candidate)
{
    public const string Other = "other";

    /// <summary>Column names: <see cref="Labels"/> then "other".</summary>
    public IReadOnlyList<string> Columns => [.. Labels, Other];
}

/// <summary>Everything behind the failure-analysis figures.</summary>
/// <param name="ByDifference">Commands present in the split, sorted by F1 difference, largest gain first.</param>
/// <param name="Commands">The analysed commands (given, or the three largest gains).</param>
/// <param name="Confusers">Per analysed command, its most frequent confusers (both directions, both models).</param>
internal sealed record FailureComparison(
    IReadOnlyList<CommandF1> ByDifference,
    IReadOnlyList<string> Commands,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Confusers,
    ConfusionFocus Focus)
{
    /// <summary>The F1 scores of the analysed <see cref="Commands"/>, in their order.</summary>
    public IReadOnlyList<CommandF1> AnalysedF1 => [.. Commands.Select(c => ByDifference.Single(f => f.Command == c))];
}

/// <summary>Two models evaluated on the same clips, with the names the figures give them.</summary>
internal sealed record EvaluatedPair(string BaselineName, EvaluationReport Baseline, string CandidateName, EvaluationReport Candidate,
    ModelConfig CandidateConfig)
{
    public static EvaluatedPair Evaluate(AnalysisInputs inputs, string baseline, string candidate, int batchSize,
        IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        (ModelConfig Config, EvaluationReport Report) Run(string checkpoint)
        {
            using var model = CheckpointLocator.LoadModel(checkpoint);
            return (model.Config, Evaluator.Evaluate(model, inputs.Data, inputs.Clips, batchSize, progress, cancellationToken));
        }
        var (baselineConfig, baselineReport) = Run(baseline);
        var (candidateConfig, candidateReport) = Run(candidate);
        // Two runs of one variant (e.g. two seeds) still need distinct names.
        var (baselineName, candidateName) = baselineConfig.Variant == candidateConfig.Variant
            ? ($"{baselineConfig.Variant} (baseline)", $"{candidateConfig.Variant} (candidate)")
            : (baselineConfig.Variant, candidateConfig.Variant);
        return new EvaluatedPair(baselineName, baselineReport, candidateName, candidateReport, candidateConfig);
    }
}

/// <summary>Compares where two models fail: per-command F1 and focused confusion rows.</summary>
internal static class FailureAnalysis
{
    /// <summary>How many commands are analysed when none are named.</summary>
    public const int DefaultCommandCount = 3;

    /// <summary>
    /// The <c>analyze failure</c> verb: evaluates both checkpoints on the split, compares them and writes
    /// <see cref="FailureReport"/>'s files.
    /// </summary>
    public static Task<AnalysisOutput<FailureComparison>> RunAsync(FailureAnalysisOptions options,
        IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            using var inputs = AnalysisInputs.Open(options, progress);
            var pair = EvaluatedPair.Evaluate(inputs, options.Baseline, options.Candidate, options.BatchSize, progress, cancellationToken);
            var comparison = Compare(pair.Baseline.Confusion, pair.Candidate.Confusion, options.Words);
            return new AnalysisOutput<FailureComparison>(comparison,
                FailureReport.Write(comparison, options.OutputDirectory, pair.BaselineName, pair.CandidateName));
        }, cancellationToken);

    /// <summary>
    /// Compares two models evaluated on the same clips. Without <paramref name="words"/>, the
    /// <see cref="DefaultCommandCount"/> commands with the largest F1 gain are analysed.
    /// </summary>
    public static FailureComparison Compare(ConfusionMatrix baseline, ConfusionMatrix candidate,
        IReadOnlyList<string>? words = null, int confusersPerCommand = 2)
    {
        if (!baseline.Labels.SequenceEqual(candidate.Labels))
            throw new TfCrnnException("the two models predict different label sets; a failure analysis needs models of the same classes");
        var classes = Enumerable.Range(0, baseline.Classes).ToList();
        if (classes.Any(c => baseline.Support(c) != candidate.Support(c)))
            throw new TfCrnnException("the two confusion matrices count different clips per class; evaluate both models on the same split");

        var baselineF1 = baseline.PerClass();
        var candidateF1 = candidate.PerClass();
        var present = classes.Where(c => baseline.Support(c) > 0).ToList();
        var byDifference = present
            .Select(c => new CommandF1(baseline.Labels[c], baselineF1[c].F1, candidateF1[c].F1))
            .OrderByDescending(f => f.Difference)
            .ThenBy(f => f.Command, StringComparer.Ordinal)
            .ToList();

        var commands = words is { Count: > 0 }
            ? words.Select(w => ClassOf(baseline, w)).Distinct().ToList()
            : byDifference.Take(DefaultCommandCount).Select(f => ClassOf(baseline, f.Command)).ToList();
        if (commands.FirstOrDefault(c => baseline.Support(c) == 0, -1) is var absent and >= 0)
            throw new TfCrnnException($"no clips of '{baseline.Labels[absent]}' in the evaluated split; choose other --words");
        var confusers = commands.ToDictionary(
            c => baseline.Labels[c],
            c => (IReadOnlyList<string>)TopConfusers(c, [baseline, candidate], confusersPerCommand).Select(k => baseline.Labels[k]).ToList());

        var focusClasses = commands
            .Concat(confusers.Values.SelectMany(list => list).Select(label => ClassOf(baseline, label)))
            .Distinct()
            .ToList();
        var focus = new ConfusionFocus(
            focusClasses.Select(c => baseline.Labels[c]).ToList(),
            FocusRows(baseline, focusClasses),
            FocusRows(candidate, focusClasses));
        return new FailureComparison(byDifference, commands.Select(c => baseline.Labels[c]).ToList(), confusers, focus);
    }

    /// <summary>
    /// The classes most often mixed up with <paramref name="command"/>: clips of it predicted as them plus clips of
    /// them predicted as it, summed over the models; only classes with at least one such error, most errors first.
    /// </summary>
    internal static IEnumerable<int> TopConfusers(int command, IReadOnlyList<ConfusionMatrix> models, int count) =>
        Enumerable.Range(0, models[0].Classes)
            .Where(k => k != command)
            .Select(k => (Class: k, Errors: models.Sum(m => m[command, k] + m[k, command])))
            .Where(p => p.Errors > 0)
            .OrderByDescending(p => p.Errors)
            .ThenBy(p => p.Class)
            .Take(count)
            .Select(p => p.Class);

    /// <summary>Rows of <paramref name="classes"/>, columns of <paramref name="classes"/> plus "other"; each row sums to 1 (or is 0 without clips).</summary>
    internal static double[,] FocusRows(ConfusionMatrix confusion, IReadOnlyList<int> classes)
    {
        var normalized = confusion.RowNormalized();
        var rows = new double[classes.Count, classes.Count + 1];
        for (var i = 0; i < classes.Count; i++)
        {
            var rowTotal = 0.0;
            for (var j = 0; j < confusion.Classes; j++) rowTotal += normalized[classes[i], j];
            var shown = 0.0;
            for (var j = 0; j < classes.Count; j++)
            {
                rows[i, j] = normalized[classes[i], classes[j]];
                shown += rows[i, j];
            }
            rows[i, classes.Count] = Math.Max(0, rowTotal - shown);
        }
        return rows;
    }

    private static int ClassOf(ConfusionMatrix confusion, string word)
    {
        var index = confusion.Labels.ToList().IndexOf(word);
        if (index < 0)
            throw new TfCrnnException($"unknown command '{word}'; expected one of: {string.Join(", ", confusion.Labels)}");
        return index;
    }
}
