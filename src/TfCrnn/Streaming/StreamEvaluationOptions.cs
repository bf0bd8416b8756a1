using TfCrnn.Checkpoints;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>What <c>tfcrnn stream-eval</c> does, callable from C#: <see cref="StreamEvaluator.RunAsync"/>.</summary>
public sealed record StreamEvaluationOptions
{
    /// <summary>A run folder, a model folder, a weights file with config.json beside it, or an exported ONNX folder.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The stream: a WAV file of any rate and channels.</summary>
    public required string AudioPath { get; init; }

    /// <summary>Its <c>labels.csv</c> (<see cref="StreamLabels"/>).</summary>
    public required string LabelsPath { get; init; }

    /// <summary>Where to write <see cref="StreamEvaluationFiles"/>; none when null.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>How the recognizer keeps state and decides detections.</summary>
    public RecognizerOptions Recognizer { get; init; } = new();

    /// <summary>Intra-op threads of the engine (the real-time factor is measured with them); 1 by default.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>TorchSharp for a checkpoint, ONNX Runtime for an exported folder (<see cref="Checkpoints.InferenceEngines.Resolve"/>).</summary>
    public Checkpoints.InferenceEngine Engine { get; init; }

    /// <summary>
    /// For a checkpoint over the speech embedding: a folder holding the encoder's files (<c>--encoder</c>); null: the
    /// per-user cache. An export folder holds its own; other models do not need it.
    /// </summary>
    public string? EncoderDirectory { get; init; }

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public StreamEvaluationOptions Validate()
    {
        OptionChecks.Required("--checkpoint", Checkpoint);
        OptionChecks.Required("--audio", AudioPath);
        OptionChecks.Required("--labels", LabelsPath);
        Recognizer.Validate();
        OptionChecks.AtLeast("--threads", Threads, 1);
        return this;
    }
}
