using Microsoft.ML.OnnxRuntime;

namespace TfCrnn.Runtime.Onnx;

/// <summary>Opens exported graphs with ONNX Runtime (CPU) and reads what their metadata says about them.</summary>
internal static class OnnxSessions
{
    /// <param name="threads">Intra-op threads; 0 lets ONNX Runtime choose (one per core).</param>
    /// <exception cref="TfCrnnException">The file is missing or not a model ONNX Runtime can run.</exception>
    public static InferenceSession Open(string path, int threads)
    {
        if (!File.Exists(path)) throw new TfCrnnException($"{path}: no such file (an exported model folder holds {OnnxMetadata.StepFile} and {OnnxMetadata.ClipFile}; tfcrnn export writes them)");
        return Open(path, threads, options => new InferenceSession(path, options));
    }

    /// <summary>A session on a model held in memory; <paramref name="name"/> names it in errors.</summary>
    public static InferenceSession Open(byte[] model, string name, int threads) =>
        Open(name, threads, options => new InferenceSession(model, options));

    private static InferenceSession Open(string name, int threads, Func<SessionOptions, InferenceSession> create)
    {
        if (threads < 0) throw new TfCrnnException($"threads must not be negative, got {threads}");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            return create(options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new TfCrnnException($"{name}: not a model ONNX Runtime can load ({e.Message})", e);
        }
    }

    /// <summary>What <paramref name="create"/> makes of <paramref name="session"/>; the session is disposed when that fails.</summary>
    public static T Own<T>(InferenceSession session, Func<InferenceSession, T> create)
    {
        try
        {
            return create(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The framing, labels and state size an exported graph's metadata declares (<see cref="OnnxMetadata.ReadInfo"/>).</summary>
    public static StepModelInfo ReadInfo(InferenceSession session, string path) =>
        OnnxMetadata.ReadInfo(session.ModelMetadata.CustomMetadataMap, path);

    /// <summary>The graph's <see cref="OnnxMetadata.FrontEnd"/>: null for a model that takes samples.</summary>
    public static string? FrontEnd(InferenceSession session) =>
        session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(OnnxMetadata.FrontEnd);
}
