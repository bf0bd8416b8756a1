using TfCrnn.Evaluation;
using TfCrnn.Training;

namespace TfCrnn.Quickstart;

/// <summary>One trained model of the quickstart.</summary>
/// <param name="Rejection">How it rejected the test split's clips (a model with a rejection class), else null.</param>
public sealed record QuickstartRun(string Variant, string RunDirectory, RunResult Result, RejectionFigures? Rejection);

/// <summary>What the quickstart did.</summary>
/// <param name="Runs">The two raw-waveform models, then the head over the speech embedding where the encoder was there.</param>
public sealed record QuickstartResult(IReadOnlyList<QuickstartRun> Runs, string ReportPath, double WallSeconds);
