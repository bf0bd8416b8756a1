using TfCrnn.Checkpoints;
using TfCrnn.Native;
using TfCrnn.Runtime;

namespace TfCrnn.Streaming;

/// <summary>What <c>tfcrnn stream</c> does, callable from C#: the model and how it listens (<see cref="StreamRecognition"/>).</summary>
public sealed record StreamOptions
{
    /// <summary>A run folder, a model folder, a weights file with config.json beside it, or an exported ONNX folder.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>How the recognizer keeps state and decides detections.</summary>
    public RecognizerOptions Recognizer { get; init; } = new();

    /// <summary>Intra-op threads of the engine; 0: one per physical core (<see cref="TorchThreads.Apply"/>).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>TorchSharp for a checkpoint, ONNX Runtime for an exported folder (<see cref="Checkpoints.InferenceEngines.Resolve"/>).</summary>
    public Checkpoints.InferenceEngine Engine { get; init; }

    /// <summary>
    /// For a checkpoint over the speech embedding: a folder holding the encoder's files (<c>--encoder</c>); null: the
    /// per-user cache. An export folder holds its own; other models do not need it.
    /// </summary>
    public string? EncoderDirectory { get; init; }

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public StreamOptions Validate()
    {
        OptionChecks.Required("--checkpoint", Checkpoint);
        Recognizer.Validate();
        OptionChecks.NotNegative("--threads", Threads);
        return this;
    }
}
