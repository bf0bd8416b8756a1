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
    /// its head: the TorchSharp head, or its step graph on ONNX Runtime; an exported folder holds the encoder's files,
    /// a checkpoint takes them from <paramref name="encoderDirectory"/> or the per-user cache.
    /// </summary>
    /// <param name="threads">ONNX Runtime intra-op threads (0: one per core); TorchSharp's are set by the caller.</param>
    /// <param name="encoderDirectory">A folder holding the encoder's files (<c>--encoder</c>); null: the per-user cache. Only a checkpoint over the speech embedding reads it.</param>
    /// <exception cref="TfCrnnException">The encoder is needed and not installed (the message names <c>tfcrnn encoder install</c>).</exception>
    public static IStepModel Open(string checkpoint, InferenceEngine engine, int threads, string? encoderDirectory = null) =>
        Open(checkpoint, engine, threads, encoderDirectory, EncoderPackage.Pinned);

    internal static IStepModel Open(string checkpoint, InferenceEngine engine, int threads, string? encoderDirectory, EncoderPackage package)
    {
        var resolved = InferenceEngines.Resolve(checkpoint, engine);
        if (InferenceEngines.IsExported(checkpoint))
            return ExportedModel.OpenStep(checkpoint, threads);
        using var model = CheckpointLocator.LoadModel(checkpoint);
        var name = OnnxExport.InMemoryName(checkpoint);
        if (!OnnxExport.OverSpeechEmbedding(model.Config))
            return resolved == InferenceEngine.Torch
                ? new TorchStepModel(model)
                : OnnxStepModel.Load(OnnxExport.Build(model).Step.ToByteArray(), name, threads);
        var network = Path.Combine(EncoderFiles.Locate(encoderDirectory, null, package), SpeechEmbeddingEncoder.EmbeddingFile);
        if (resolved == InferenceEngine.Onnx)
        {
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
