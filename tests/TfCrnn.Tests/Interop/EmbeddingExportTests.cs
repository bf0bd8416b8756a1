using System.Text.Json.Nodes;
using Google.Protobuf;
using Onnx;
using TfCrnn.Checkpoints;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Streaming;
using TfCrnn.Tests.SpeechEmbedding;
using TfCrnn.Tests.Support;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Interop;

/// <summary>
/// The export of a head over the speech embedding (<c>tfcrnn export</c>): a folder with the head's clip and step graphs
/// over the features and the encoder's two graphs beside them, its metadata naming the front end and the files'
/// SHA-256; the chain it runs (C# log-mel, the embedding network, the head's graph) against the TorchSharp head on
/// the stand-in encoder, offline and streaming, and offline on the real encoder where it is installed.
/// </summary>
public sealed class EmbeddingExportTests : IDisposable
{
    private const float Tolerance = 1e-4f;

    private readonly TempDirectory folder = new("embedding-export");

    public void Dispose() => folder.Dispose();

    private string ModelPath => folder.Combine("model");

    private string ExportPath => folder.Combine("exported");

    private ExportResult SaveAndExport(string variant = "embedding-tfgru") => SaveAndExport(ModelPath, ExportPath, variant);

    /// <summary>
    /// A random head (non-trivial standardisation) saved as a model folder at <paramref name="model"/>, and exported to
    /// <paramref name="exported"/> with the stand-in encoder.
    /// </summary>
    /// <param name="realEncoder">Export with the real encoder (the per-user cache's, pinned) instead of the stand-in.</param>
    internal static ExportResult SaveAndExport(string model, string exported, string variant = "embedding-tfgru", int seed = 31, bool realEncoder = false)
    {
        using (var head = TestModels.WithTrainedLookingBatchNorms(ModelConfig.For(variant) with { HiddenSize = 16 }, seed))
            ModelFolder.Save(head, model);
        return OnnxExport.Run(new ExportOptions
        {
            Checkpoint = model,
            OutputDirectory = exported,
            EncoderDirectory = realEncoder ? EncoderFixtures.Real() : EncoderFixtures.StandIn,
            Package = realEncoder ? EncoderPackage.Pinned : EncoderFixtures.StandInPackage,
        });
    }

    [Fact]
    public void TheFolderHoldsTheHeadsGraphsAndTheEncodersFilesWithTheirHashes()
    {
        var result = SaveAndExport();

        Assert.Equal(["clip.onnx", "embedding_model.onnx", "melspectrogram.onnx", "step.onnx"],
            Directory.EnumerateFiles(ExportPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([SpeechEmbeddingEncoder.MelFile, SpeechEmbeddingEncoder.EmbeddingFile], result.FrontEndPaths.Select(Path.GetFileName));
        foreach (var path in result.FrontEndPaths)
            Assert.Equal(File.ReadAllBytes(Path.Combine(EncoderFixtures.StandIn, Path.GetFileName(path))), File.ReadAllBytes(path));
        foreach (var (path, input) in new[] { (result.ClipPath, OnnxMetadata.FeaturesInput), (result.StepPath, OnnxMetadata.FeaturesInput) })
        {
            var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            Assert.Equal(input, graph.Graph.Input[0].Name);
            var metadata = graph.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(FrontEndName, metadata[OnnxMetadata.FrontEnd]);
            Assert.Null(Difference(metadata[OnnxMetadata.FrontEndGeometry]));
            Assert.Equal(EncoderFixtures.StandInPackage.Spec, metadata[OnnxMetadata.EncoderPackage]);
            var files = JsonNode.Parse(metadata[OnnxMetadata.EncoderFiles])!.AsObject();
            Assert.Equal(EncoderFixtures.StandInPackage.Files.Select(f => (f.Name, f.Sha256)), files.Select(p => (p.Key, (string)p.Value!)));
            Assert.Equal(string.Join("\n", EncoderFiles.Licence), metadata[OnnxMetadata.EncoderLicence]);
            // The recognizer frames 13,152-sample windows every 1,280 samples, 16 steps over the padded clip, unscaled.
            Assert.Equal(("13152", "1280", "16", PaddedClipSamples.ToString(System.Globalization.CultureInfo.InvariantCulture), "1"),
                (metadata[OnnxMetadata.Window], metadata[OnnxMetadata.Hop], metadata[OnnxMetadata.Steps], metadata[OnnxMetadata.ClipSamples], metadata[OnnxMetadata.InputScale]));
        }
    }

    /// <summary>
    /// The exported clip graph on the encoder's embeddings of real speech gives the TorchSharp head's logits at every
    /// step, within 1e-4; <see cref="ExportedModel.Classify"/> of the clip, the chain from samples, gives its last step.
    /// </summary>
    [SkippableTheory]
    [InlineData("embedding-tfgru", false)]
    [InlineData("embedding-gru", false)]
    [InlineData("embedding-tfgru", true)]
    public void TheExportedChainGivesTheTorchHeadsOutput(string variant, bool realEncoder)
    {
        SaveAndExport(ModelPath, ExportPath, variant, realEncoder: realEncoder);
        var clips = EncoderFixtures.Speech(3);
        using var encoder = SpeechEmbeddingEncoder.Open(realEncoder ? EncoderFixtures.Real() : EncoderFixtures.StandIn);
        var features = encoder.EmbedClips(clips.SelectMany(c => c).ToArray(), clips.Count);
        using var torchModel = CheckpointLocator.LoadModel(ModelPath);
        torchModel.eval();
        using var exported = ExportedModel.Load(ExportPath);

        using var noGrad = no_grad();
        using var input = tensor(features, [clips.Count, ClipSteps, Dimensions]);
        using var output = torchModel.forward(input);
        var expected = output.Logits.data<float>().ToArray(); // (steps, clips, classes)
        var logits = exported.Clip.Logits(features, clips.Count);
        Assert.Equal(expected.Length, logits.Length);
        var difference = expected.Zip(logits).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(difference <= Tolerance, $"logits differ by {difference:e2}");

        var classes = torchModel.Config.Classes;
        for (var c = 0; c < clips.Count; c++)
        {
            var last = PosteriorSmoother.Softmax(expected.AsSpan(((ClipSteps - 1) * clips.Count + c) * classes, classes));
            var classified = exported.Classify(clips[c]).OrderBy(w => w.Class).Select(w => w.Probability);
            Assert.Equal(last, classified, (a, b) => Math.Abs(a - b) <= Tolerance);
        }
    }

    /// <summary>The engines <see cref="TheStreamEqualsOfflineOnTheWindowItCovers"/> streams with.</summary>
    public enum Engine
    {
        /// <summary>The checkpoint, its head in TorchSharp.</summary>
        Torch,

        /// <summary>The checkpoint, its head exported in memory and run by ONNX Runtime.</summary>
        OnnxInMemory,

        /// <summary>The export folder, as apps load it (<see cref="ExportedModel.Load"/>).</summary>
        Exported,
    }

    /// <summary>
    /// Streaming equals offline on the window it covers: with sliding lanes, the step that completes a lane's 16 steps
    /// over a clip padded as training pads it (silence before and after) gives the model's last step on that clip
    /// (the TorchSharp head on the clip's embeddings), on every engine; the steps before it hear other windows.
    /// </summary>
    [Theory]
    [InlineData(Engine.Torch, "embedding-tfgru")]
    [InlineData(Engine.OnnxInMemory, "embedding-tfgru")]
    [InlineData(Engine.Exported, "embedding-tfgru")]
    [InlineData(Engine.Torch, "embedding-gru")]
    [InlineData(Engine.Exported, "embedding-gru")]
    public void TheStreamEqualsOfflineOnTheWindowItCovers(Engine engine, string variant)
    {
        SaveAndExport(variant);
        var clip = EncoderFixtures.Speech(2)[1];
        using var encoder = SpeechEmbeddingEncoder.Open(EncoderFixtures.StandIn);
        using var torchModel = CheckpointLocator.LoadModel(ModelPath);
        torchModel.eval();
        float[] expected;
        using (no_grad())
        using (var input = tensor(encoder.EmbedClip(clip), [1, ClipSteps, Dimensions]))
        using (var output = torchModel.forward(input))
            expected = PosteriorSmoother.Softmax(output.Logits[-1].data<float>().ToArray());

        // The padded clip starts where the window of step 30 starts (a window ends on a hop boundary); silence all around.
        var start = 31 * StepSamples - StepWindowSamples;
        var audio = new float[start + PaddedClipSamples + 2 * SampleRate];
        clip.CopyTo(audio, start + ClipPadBefore);
        using var model = engine switch
        {
            Engine.Torch => StepModels.Open(ModelPath, InferenceEngine.Torch, 1, EncoderFixtures.StandIn, EncoderFixtures.StandInPackage),
            Engine.OnnxInMemory => StepModels.Open(ModelPath, InferenceEngine.Onnx, 1, EncoderFixtures.StandIn, EncoderFixtures.StandInPackage),
            _ => StepModels.Open(ExportPath, InferenceEngine.Auto, 1),
        };
        Assert.Equal((StepWindowSamples, StepSamples, ClipSteps), (model.Info.Window, model.Info.Hop, model.Info.StepsPerClip));
        var recognizer = new StreamingRecognizer(model, new RecognizerOptions { State = StatePolicy.Sliding, SmoothingSteps = 1, Threshold = 1 });
        var steps = new List<RecognitionStep>();
        recognizer.Stepped += (_, s) => steps.Add(s);
        for (var at = 0; at < audio.Length; at += 4000)
            recognizer.Push(audio.AsSpan(at, Math.Min(4000, audio.Length - at)));

        var covering = steps.Single(s => Math.Abs(s.End - (start + PaddedClipSamples) / (double)SampleRate) < 1e-9);
        Assert.Equal(expected, covering.Posteriors, (a, b) => Math.Abs(a - b) <= Tolerance);
        Assert.NotEqual(expected, steps[(int)covering.Index - 2].Posteriors, (a, b) => Math.Abs(a - b) <= Tolerance);
        // One embedding every 80 ms (the audio before the stream counts as silence).
        Assert.Equal(audio.Length / StepSamples, steps.Count);
    }

    [Fact]
    public void WithoutTheEncoderNothingIsWrittenAndTheErrorNamesTheInstallCommand()
    {
        using (var model = TestModels.WithTrainedLookingBatchNorms(ModelConfig.For("embedding-gru") with { HiddenSize = 8 }, seed: 1))
            ModelFolder.Save(model, ModelPath);
        var empty = folder.Combine("no-encoder");
        Directory.CreateDirectory(empty);
        var error = Assert.ThrowsAny<TfCrnnException>(() => OnnxExport.Run(new ExportOptions
        {
            Checkpoint = ModelPath,
            OutputDirectory = ExportPath,
            EncoderDirectory = empty,
        }));
        Assert.Contains(EncoderFiles.InstallCommand, error.Message, StringComparison.Ordinal);
        Assert.Contains(empty, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ExportPath));
    }

    /// <summary>An export folder whose encoder file was changed or lost is refused, naming the file.</summary>
    [Fact]
    public void AFolderWithAChangedOrMissingEncoderFileIsRefused()
    {
        SaveAndExport();
        var network = Path.Combine(ExportPath, SpeechEmbeddingEncoder.EmbeddingFile);
        File.WriteAllBytes(network, StandInEncoder.EmbeddingGraph(seed: 34).ToByteArray());
        var changed = Assert.Throws<TfCrnnException>(() => ExportedModel.Load(ExportPath));
        Assert.StartsWith($"{network}: SHA-256 ", changed.Message, StringComparison.Ordinal);
        Assert.Contains(EncoderFixtures.StandInPackage.Spec, changed.Message, StringComparison.Ordinal);
        File.Delete(network);
        var missing = Assert.Throws<TfCrnnException>(() => ExportedModel.Load(ExportPath));
        Assert.StartsWith($"{network}: missing", missing.Message, StringComparison.Ordinal);
    }
}
