using Google.Protobuf;
using TfCrnn.Checkpoints;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;

namespace TfCrnn.Streaming;

/// <summary>The step model of a checkpoint on either <see cref="InferenceEngine"/>.</summary>
public static class StepModels
{
    /// <summary>
    /// The step model of <paramref name="checkpoint"/>. A model over the speech embedding streams through its front
    /// end (<see cref="SpeechEmbeddingStepModel"/>: the log-mel in C#, the embedding network on ONNX Runtime) and then
    /// its head: its step graph exported in memory on ONNX Runtime (<c>auto</c>, <c>onnx</c>: half the CPU time of the
    /// TorchSharp head, bench/RESULTS.md), or the TorchSharp head (<c>torch</c>); an exported folder holds the encoder's files,
    /// a checkpoint takes them from <paramref name="encoderDirectory"/> or the per-user cache.
    /// </summary>
    /// <param name="threads">ONNX Runtime intra-op threads (0: one per core); TorchSharp's are set by the caller.</param>
    /// <param name="encoderDirectory">A folder holding the encoder's files (<c>--encoder</c>); null: the per-user cache. Only a checkpoint over the speech embedding reads it.</param>
    /// <exception cref="TfCrnnException">The encoder is needed and not installed (the message names <c>tfcrnn encoder install</c>).</exception>
    public static IStepModel Open(string checkpoint, InferenceEngine engine, int threads, string? encoderDirectory = null) =>
        Open(checkpoint, engine, threads, encoderDirectory, EncoderPackage.Pinned);

    internal static IStepModel Open(string checkpoint, InferenceEngine engine, int threads, string? encoderDirectory, EncoderPackage package)
    {
        if (InferenceEngines.IsExported(checkpoint))
        {
            InferenceEngines.Resolve(checkpoint, engine); // refuses --engine torch
            return ExportedModel.OpenStep(checkpoint, threads);
        }
        if (CheckpointLocator.ReadConfig(checkpoint) is { } config && OnnxExport.OverSpeechEmbedding(config))
            return OpenOverSpeechEmbedding(checkpoint, engine, threads, encoderDirectory, package);
        var resolved = InferenceEngines.Resolve(checkpoint, engine);
        using var model = CheckpointLocator.LoadModel(checkpoint);
        return resolved == InferenceEngine.Torch
            ? new TorchStepModel(model)
            : OnnxStepModel.Load(OnnxExport.Build(model).Step.ToByteArray(), OnnxExport.InMemoryName(checkpoint), threads);
    }

    /// <summary>
    /// A checkpoint over the speech embedding: its step graph exported in memory (auto, onnx), or its head in TorchSharp
    /// (torch), after the front end.
    /// </summary>
    private static SpeechEmbeddingStepModel OpenOverSpeechEmbedding(string checkpoint, InferenceEngine engine, int threads,
        string? encoderDirectory, EncoderPackage package)
    {
        var network = Path.Combine(EncoderFiles.Locate(encoderDirectory, null, package), SpeechEmbeddingEncoder.EmbeddingFile);
        using var model = CheckpointLocator.LoadModel(checkpoint);
        if (engine != InferenceEngine.Torch)
        {
            var name = OnnxExport.InMemoryName(checkpoint);
            var session = OnnxSessions.Open(OnnxExport.Build(model, package: package).Step.ToByteArray(), name, threads);
            return SpeechEmbeddingExport.OpenStep(session, name, network, threads);
        }
        var head = new TorchHeadStep(InferenceModel.Create(model));
        try
        {
            return new SpeechEmbeddingStepModel(EmbeddingNetwork.Open(network, threads), head,
                SpeechEmbeddingStepModel.Describe(model.Config.LabelSet, model.Config.StateSize, model.Config.Variant));
        }
        catch
        {
            head.Dispose();
            throw;
        }
    }
}
