namespace TfCrnn.Evaluation;

/// <summary>Which clips <c>eval</c> scores.</summary>
public enum EvaluationSplit { Train, Valid, Test, All }

/// <summary>What <c>tfcrnn eval</c> does, callable from C#: <see cref="Evaluator.RunAsync"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>A run folder, a model folder, or a weights file with config.json beside it.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>Speech Commands folder or archive.</summary>
    public required string DataPath { get; init; }

    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>Where to write the report files (<see cref="EvaluationFiles"/>); none when null.</summary>
    public string? OutputDirectory { get; init; }

    public int BatchSize { get; init; } = 64;

    /// <summary>Torch intra-op threads; 0 keeps torch's default.</summary>
    public int Threads { get; init; }
}
