using TfCrnn.Data;

namespace TfCrnn.Evaluation;

/// <summary>Which clips <c>eval</c> scores.</summary>
public enum EvaluationSplit { Train, Valid, Test, All }

public static class EvaluationSplits
{
    /// <summary>The clips of <paramref name="split"/> in <paramref name="data"/> (every clip for <see cref="EvaluationSplit.All"/>).</summary>
    public static IReadOnlyList<Clip> Clips(this SpeechCommandsDataset data, EvaluationSplit split) => split switch
    {
        EvaluationSplit.Train => data.Clips(Split.Train),
        EvaluationSplit.Valid => data.Clips(Split.Valid),
        EvaluationSplit.Test => data.Clips(Split.Test),
        _ => data.AllClips,
    };
}

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

    /// <summary>Intra-op threads of the engine; 0 keeps its default.</summary>
    public int Threads { get; init; }

    /// <summary>TorchSharp for a checkpoint, ONNX Runtime for an exported folder (<see cref="Interop.InferenceEngines.Resolve"/>).</summary>
    public Interop.InferenceEngine Engine { get; init; }
}
