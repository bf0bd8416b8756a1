using TfCrnn.Evaluation;

namespace TfCrnn.Analysis;

/// <summary>What every analysis reads and where it writes.</summary>
internal abstract record AnalysisOptions
{
    /// <summary>Speech Commands folder or archive.</summary>
    public required string DataPath { get; init; }

    /// <summary>Folder for the PNG, CSV and markdown files.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The clips analysed (the paper: the test split).</summary>
    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>Commands to analyse; null or empty = the analysis's default.</summary>
    public IReadOnlyList<string>? Words { get; init; }

    public int BatchSize { get; init; } = 64;

    /// <summary>Torch intra-op threads; 0: one per physical core (<see cref="Native.TorchThreads.Apply"/>).</summary>
    public int Threads { get; init; }

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public virtual void Validate()
    {
        OptionChecks.Required("--data", DataPath);
        OptionChecks.Required("--out", OutputDirectory);
        OptionChecks.AtLeast("--batch-size", BatchSize, 1);
        OptionChecks.NotNegative("--threads", Threads);
        foreach (var word in Words ?? [])
            OptionChecks.Word("--words", word);
    }
}

/// <summary><c>tfcrnn analyze failure</c>: where a candidate model (the TF-CRNN) fails less or more than a baseline (the CRNN).</summary>
internal sealed record FailureAnalysisOptions : AnalysisOptions
{
    /// <summary>Checkpoint of the baseline: a run folder, a model folder or a weights file.</summary>
    public required string Baseline { get; init; }

    /// <summary>Checkpoint of the candidate.</summary>
    public required string Candidate { get; init; }

    public override void Validate()
    {
        base.Validate();
        OptionChecks.Required("--baseline", Baseline);
        OptionChecks.Required("--candidate", Candidate);
    }
}

/// <summary><c>tfcrnn analyze trajectory</c> and <c>tfcrnn analyze excitation</c>: one model's behaviour over the steps.</summary>
internal sealed record ModelAnalysisOptions : AnalysisOptions
{
    /// <summary>A run folder, a model folder or a weights file.</summary>
    public required string Checkpoint { get; init; }

    public override void Validate()
    {
        base.Validate();
        OptionChecks.Required("--checkpoint", Checkpoint);
    }
}

/// <summary>What an analysis found and the files it wrote (PNG, CSV, markdown).</summary>
internal sealed record AnalysisOutput<T>(T Result, IReadOnlyList<string> Files);
