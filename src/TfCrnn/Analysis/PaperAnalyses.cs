using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Progress;

namespace TfCrnn.Analysis;

/// <summary>
/// The three analyses of a baseline / candidate pair (the quickstart's CRNN and TF-CRNN) in one pass: the failure
/// analysis, the candidate's trajectories of the commands it gained most on, and its excitations.
/// </summary>
internal sealed record PaperAnalysesOptions : AnalysisOptions
{
    /// <summary>The baseline checkpoint (the CRNN).</summary>
    public required string Baseline { get; init; }

    /// <summary>The candidate checkpoint (the TF-CRNN); its excitations are analysed when it is a TF-CRNN.</summary>
    public required string Candidate { get; init; }

    /// <summary>Commands of the excitation figure (default <see cref="ExcitationAnalysis.DefaultWords"/>).</summary>
    public IReadOnlyList<string>? ExcitationWords { get; init; }

    /// <summary>Folder of the markdown document the section goes into; figure links are relative to it.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>Markdown heading of the section ("##" inside a report).</summary>
    public string Heading { get; init; } = "##";
}

/// <summary>What <see cref="PaperAnalyses.RunAsync"/> found; <see cref="Markdown"/> is a report section linking every figure.</summary>
internal sealed record PaperAnalysesResult(
    FailureComparison Failure,
    IReadOnlyList<CommandTrajectory> Trajectories,
    ExcitationSummary? Excitation,
    string Markdown,
    IReadOnlyList<string> Files);

/// <summary>
/// Runs the paper's three analyses (failure analysis, prediction trajectories, temporal excitation) for a model pair
/// and writes their files into one folder.
/// </summary>
internal static class PaperAnalyses
{
    public static Task<PaperAnalysesResult> RunAsync(PaperAnalysesOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            using var inputs = AnalysisInputs.Open(options, progress);
            var pair = EvaluatedPair.Evaluate(inputs, options.Baseline, options.Candidate, options.BatchSize, progress, cancellationToken);
            var failure = FailureAnalysis.Compare(pair.Baseline.Confusion, pair.Candidate.Confusion, options.Words);
            var labels = pair.Candidate.Confusion.Labels;
            var trajectories = TrajectoryAnalysis.FromPredictions(pair.Candidate.Predictions,
                [.. failure.Commands.Select(c => labels.ToList().IndexOf(c))], labels, pair.CandidateConfig.Geometry);
            ExcitationSummary? excitation = null;
            if (pair.CandidateConfig.Model is PaperModel { Family: ModelFamily.TfCrnn })
            {
                using var model = CheckpointLocator.LoadModel(options.Candidate);
                excitation = ExcitationAnalysis.Collect(inputs, model, options.ExcitationWords ?? DefaultExcitationWords(inputs, failure),
                    options.BatchSize, progress, cancellationToken);
            }

            var files = new List<string>();
            files.AddRange(FailureReport.Write(failure, options.OutputDirectory, pair.BaselineName, pair.CandidateName));
            files.AddRange(TrajectoryReport.Write(trajectories, options.OutputDirectory, pair.CandidateName));
            if (excitation is not null)
                files.AddRange(ExcitationReport.Write(excitation, options.OutputDirectory, pair.CandidateName));

            var prefix = Path.GetRelativePath(Path.GetFullPath(options.ReportDirectory ?? options.OutputDirectory),
                Path.GetFullPath(options.OutputDirectory)).Replace('\\', '/');
            prefix = prefix == "." ? "" : prefix + "/";
            var sub = options.Heading + "#";
            string[] sections =
            [
                $"{options.Heading} Analyses (the paper's failure analysis, prediction trajectories and temporal excitation; {inputs.SplitName} split)\n",
                FailureReport.Summary(failure, pair.BaselineName, pair.CandidateName, sub, prefix),
                TrajectoryReport.Summary(trajectories, pair.CandidateName, sub, prefix),
                excitation is null
                    ? $"{sub} Temporal excitation\n\n{pair.CandidateName} has no temporal feedback; the excitation analysis needs a TF-CRNN.\n"
                    : ExcitationReport.Summary(excitation, pair.CandidateName, sub, prefix),
            ];
            var markdown = string.Join("\n", sections.Select(section => section.TrimEnd('\n') + "\n"));
            return new PaperAnalysesResult(failure, trajectories, excitation, markdown, files);
        }, cancellationToken);

    /// <summary>
    /// The paper's excitation commands that the split has clips of (v0.01 lacks "backward"), or the failure analysis's
    /// commands where it has none of them (a dataset of other words).
    /// </summary>
    private static IReadOnlyList<string> DefaultExcitationWords(AnalysisInputs inputs, FailureComparison failure)
    {
        var present = inputs.Clips.Select(c => c.Label).ToHashSet();
        var words = ExcitationAnalysis.DefaultWords.Where(present.Contains).ToList();
        return words.Count > 0 ? words : failure.Commands;
    }
}
