using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using TfCrnn.Runtime.Onnx;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// What a model over the speech embedding needs beside its own graphs: the front end's metadata checked against this
/// runtime's <see cref="SpeechEmbeddingGeometry"/>, the encoder's files of an export folder checked against the
/// SHA-256 its metadata records, and the streaming step that chains them (<see cref="SpeechEmbeddingStepModel"/>).
/// </summary>
internal static class SpeechEmbeddingExport
{
    /// <summary>
    /// Checks an export folder's front end: its geometry is this runtime's, and each encoder file its metadata names is
    /// in <paramref name="folder"/> with the recorded SHA-256 (both of <see cref="SpeechEmbeddingEncoder.MelFile"/> and
    /// <see cref="SpeechEmbeddingEncoder.EmbeddingFile"/> among them).
    /// </summary>
    /// <param name="path">The graph whose metadata it is, for errors.</param>
    /// <exception cref="TfCrnnException">A difference, a missing or changed file.</exception>
    public static void Check(IReadOnlyDictionary<string, string> metadata, string folder, string path)
    {
        string Text(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new TfCrnnException($"{path}: metadata '{key}' missing (not written by tfcrnn export?)");
        if (Difference(Text(OnnxMetadata.FrontEndGeometry)) is { } difference)
            throw new TfCrnnException($"{path}: the {FrontEndName} front end of this export differs from this runtime's ({difference})");
        Dictionary<string, string> files;
        try
        {
            using var document = JsonDocument.Parse(Text(OnnxMetadata.EncoderFiles));
            files = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new TfCrnnException($"{path}: metadata '{OnnxMetadata.EncoderFiles}' is not a JSON object of file names and SHA-256 hashes", e);
        }
        foreach (var name in new[] { SpeechEmbeddingEncoder.MelFile, SpeechEmbeddingEncoder.EmbeddingFile }.Where(n => !files.ContainsKey(n)))
            throw new TfCrnnException($"{path}: metadata '{OnnxMetadata.EncoderFiles}' does not name {name}");
        foreach (var (name, sha256) in files)
        {
            var file = Path.Combine(folder, Path.GetFileName(name));
            if (!File.Exists(file))
                throw new TfCrnnException($"{file}: missing; a {FrontEndName} model's folder holds the encoder's files beside its graphs, as tfcrnn export writes them (copy the whole folder)");
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
            if (actual != sha256)
                throw new TfCrnnException($"{file}: SHA-256 {actual}, but the export was made with {sha256} ({Text(OnnxMetadata.EncoderPackage)})");
        }
    }

    /// <summary>
    /// The streaming step of a model over the speech embedding: the network of <paramref name="embeddingPath"/> and the
    /// model's exported step graph, whose session it takes over (disposed with it, or here when this fails).
    /// </summary>
    /// <param name="name">Names the step graph in errors.</param>
    /// <exception cref="TfCrnnException">The graph is not a step graph over the features, or the network cannot be opened.</exception>
    public static SpeechEmbeddingStepModel OpenStep(InferenceSession step, string name, string embeddingPath, int threads) =>
        OnnxSessions.Own(step, session =>
        {
            var info = OnnxSessions.ReadInfo(session, name);
            var head = new OnnxStepSession(session, name, OnnxMetadata.FeaturesInput, [Dimensions], info.Labels.Count, info.StateSize);
            var network = EmbeddingNetwork.Open(embeddingPath, threads);
            try
            {
                return new SpeechEmbeddingStepModel(network, head, info);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        });
}
