using Google.Protobuf;
using Onnx;
using TfCrnn.Audio;
using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Streaming;
using TfCrnn.Tests.Interop;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Runtime;

/// <summary>
/// The ONNX Runtime engine against the TorchSharp engine on the same weights: a model folder and the folder
/// <c>tfcrnn export</c> makes of it give the same predictions in <c>predict</c>, <c>eval</c> and streaming.
/// </summary>
public sealed class OnnxEngineTests
{
    private const float Tolerance = 1e-4f;

    [Theory]
    [InlineData("tfcrnn-resse")]
    [InlineData("cnn-se")]
    public void TheStreamingRecognizerHearsTheSameOnBothEngines(string variant)
    {
        using var folders = ModelFolders.Create(variant);
        var audio = TestAudio(seconds: 3);
        // Threshold 0: a detection at every step the refractory time allows, so that detections compare argmaxes.
        var options = new RecognizerOptions { Threshold = 0 };

        using var torch = StepModels.Open(folders.Model, InferenceEngine.Torch, threads: 1);
        using var onnx = ExportedModel.Load(folders.Exported);
        var (torchSteps, torchDetections) = Recognize(new StreamingRecognizer(torch, options), audio);
        var (onnxSteps, onnxDetections) = Recognize(onnx.CreateRecognizer(options), audio);

        Assert.Equal(torchSteps.Count, onnxSteps.Count);
        Assert.Equal(30, torchSteps.Count);
        var difference = torchSteps.Zip(onnxSteps).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));
        Assert.True(difference <= Tolerance, $"posteriors differ by {difference:e2}");
        Assert.Equal(3, torchDetections.Count);
        Assert.Equal(torchDetections.Select(d => (d.Word, d.End)), onnxDetections.Select(d => (d.Word, d.End)));
    }

    /// <summary>
    /// One window passed for every lane (as the lanes of a stream hear it) gives what that window repeated in each lane
    /// gives, on both engines; a step graph whose window has no <see cref="OnnxMetadata.WindowBatchDimension"/> (as
    /// exported before it) gets the window repeated by the runtime.
    /// </summary>
    [Theory]
    [InlineData("tfcrnn-resse")]
    [InlineData("tfcrnn-basic")]
    [InlineData("crnn-se")]
    public void OneWindowForEveryLaneEqualsTheWindowInEachLane(string variant)
    {
        const int lanes = 4;
        using var folders = ModelFolders.Create(variant);
        var stepFile = Path.Combine(folders.Exported, OnnxMetadata.StepFile);
        var graph = ModelProto.Parser.ParseFrom(File.ReadAllBytes(stepFile));
        var windowBatch = graph.Graph.Input.Single(i => i.Name == OnnxMetadata.WindowInput).Type.TensorType.Shape.Dim[0];
        Assert.Equal(OnnxMetadata.WindowBatchDimension, windowBatch.DimParam);
        windowBatch.DimValue = lanes; // a fixed dimension: ONNX Runtime refuses one window unless the runtime repeats it
        var fixedWindows = folders.Combine("fixed-windows.onnx");
        File.WriteAllBytes(fixedWindows, graph.ToByteArray());

        using var torch = StepModels.Open(folders.Model, InferenceEngine.Torch, threads: 1);
        using var onnx = OnnxStepModel.Load(stepFile);
        using var older = OnnxStepModel.Load(fixedWindows);
        var random = new Random(5);
        float[] Noise(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5))];
        var window = Noise(torch.Info.Window);
        var state = Noise(lanes * torch.Info.StateSize);
        float[] repeated = [.. Enumerable.Repeat(window, lanes).SelectMany(w => w)];
        foreach (var model in new IStepModel[] { torch, onnx, older })
        {
            // The ONNX engine reuses its output arrays: copy them before the next step.
            var each = model.Step(repeated, state, lanes);
            float[][] expected = [[.. each.Logits], [.. each.State]];
            var shared = model.Step(window, state, lanes);
            AssertClose(expected, [shared.Logits, shared.State]);
        }
    }

    [Fact]
    public async Task PredictAndEvalGiveTheSamePredictionsOnBothEngines()
    {
        using var folders = ModelFolders.Create("crnn-se");
        using var tones = new ToneDataset(trainPerWord: 1, validPerWord: 1, testPerWord: 2);
        var files = Directory.GetFiles(tones.Path, "*.wav", SearchOption.AllDirectories).Order().Take(3).ToList();

        var torchPredictions = Predictor.Predict(new PredictionOptions { Checkpoint = folders.Model, Files = files, Engine = InferenceEngine.Torch });
        var onnxPredictions = Predictor.Predict(new PredictionOptions { Checkpoint = folders.Exported, Files = files }); // auto: ONNX
        foreach (var (t, o) in torchPredictions.Zip(onnxPredictions))
        {
            Assert.Equal(t.Top.Count, o.Top.Count);
            foreach (var (e, a) in t.Top.Zip(o.Top))
                AssertSameClassUpToTies(t.StepProbabilities[^1], e.Class, a.Class, $"'{a.Word}' where '{e.Word}' was expected");
            AssertClose(t.StepProbabilities, o.StepProbabilities);
        }
        using (var exported = ExportedModel.Load(folders.Exported))
        {
            var samples = WavFile.ReadMono(files[0], 16000);
            var ranked = exported.Classify(samples);
            Assert.Equal(35, ranked.Count);
            AssertSameClassUpToTies(torchPredictions[0].StepProbabilities[^1], torchPredictions[0].Top[0].Class, ranked[0].Class, "the top word");
            Assert.True(Math.Abs(torchPredictions[0].Top[0].Probability - ranked[0].Probability) <= Tolerance);
        }

        EvaluationOptions Options(string checkpoint, InferenceEngine engine) =>
            new() { Checkpoint = checkpoint, DataPath = tones.Path, Split = EvaluationSplit.Test, Engine = engine, Threads = 1 };
        var torchReport = await Evaluator.RunAsync(Options(folders.Model, InferenceEngine.Torch));
        // The exported folder, and the model folder exported in memory (the default engine).
        foreach (var onnxReport in new[] { await Evaluator.RunAsync(Options(folders.Exported, InferenceEngine.Onnx)),
                     await Evaluator.RunAsync(Options(folders.Model, InferenceEngine.Auto)) })
        {
            Assert.Equal(12, onnxReport.Clips);
            Assert.Equal(torchReport.Predictions.Select(p => p.Clip.RelativePath), onnxReport.Predictions.Select(p => p.Clip.RelativePath));
            foreach (var (t, o) in torchReport.Predictions.Zip(onnxReport.Predictions))
            {
                AssertSameClassUpToTies(t.StepProbabilities[^1], t.Predicted, o.Predicted, t.Clip.RelativePath);
                AssertClose(t.StepProbabilities, o.StepProbabilities);
            }
            Assert.Equal(torchReport.Loss, onnxReport.Loss, 4);
        }
    }

    [Fact]
    public void OnnxRuntimeIsTheDefaultTorchRunsBf16AndCannotRunAnExportedFolder()
    {
        using var folders = ModelFolders.Create("cnn-basic");
        Assert.Equal(InferenceEngine.Onnx, InferenceEngines.Resolve(folders.Model, InferenceEngine.Auto));
        Assert.Equal(InferenceEngine.Onnx, InferenceEngines.Resolve(folders.Exported, InferenceEngine.Auto));
        Assert.Equal(InferenceEngine.Torch, InferenceEngines.Resolve(folders.Model, InferenceEngine.Torch));
        var torchOnExport = Assert.Throws<OptionException>(() => InferenceEngines.Resolve(folders.Exported, InferenceEngine.Torch));
        Assert.Equal("--engine", torchOnExport.Option);
        Assert.Contains("--engine onnx", torchOnExport.Message);

        // bfloat16 runs on TorchSharp only: auto picks it, onnx refuses, and an exported folder (fp32 graphs) cannot.
        const InferencePrecision bf16 = InferencePrecision.BFloat16;
        Assert.Equal(InferenceEngine.Torch, InferenceEngines.Resolve(folders.Model, InferenceEngine.Auto, bf16));
        Assert.Equal(InferenceEngine.Torch, InferenceEngines.Resolve(folders.Model, InferenceEngine.Torch, bf16));
        Assert.Equal("--precision", Assert.Throws<OptionException>(() => InferenceEngines.Resolve(folders.Model, InferenceEngine.Onnx, bf16)).Option);
        var bf16OnExport = Assert.Throws<OptionException>(() => InferenceEngines.Resolve(folders.Exported, InferenceEngine.Auto, bf16));
        Assert.Equal("--precision", bf16OnExport.Option);
        Assert.Contains("use --precision fp32", bf16OnExport.Message);
        // The options records check the pair before any file is read, whatever the CPU.
        Assert.Equal("--precision", Assert.Throws<OptionException>(() => new EvaluationOptions
        {
            Checkpoint = folders.Model,
            DataPath = "data",
            Engine = InferenceEngine.Onnx,
            Inference = new InferenceOptions { Precision = bf16 },
        }.Validate()).Option);

        Assert.Contains("no such folder", Assert.Throws<TfCrnnException>(() => ExportedModel.Load(Path.Combine(folders.Exported, "missing"))).Message);
        File.WriteAllText(Path.Combine(folders.Exported, "step.onnx"), "not a model");
        Assert.Contains("not a model ONNX Runtime can load", Assert.Throws<TfCrnnException>(() => ExportedModel.Load(folders.Exported)).Message);
    }

    private static (List<float[]> Steps, List<Detection> Detections) Recognize(StreamingRecognizer recognizer, float[] audio)
    {
        var steps = new List<float[]>();
        recognizer.Stepped += (_, step) => steps.Add(step.Posteriors);
        var detections = new List<Detection>();
        // Uneven chunks: framing must not depend on them.
        for (var start = 0; start < audio.Length; start += 777)
            detections.AddRange(recognizer.Push(audio.AsSpan(start, Math.Min(777, audio.Length - start))));
        return (steps, detections);
    }

    /// <summary>Tones of the tone dataset's words with quiet noise between them.</summary>
    private static float[] TestAudio(int seconds)
    {
        var random = new Random(4);
        var audio = new float[seconds * 16000];
        for (var i = 0; i < audio.Length; i++) audio[i] = (float)(0.01 * (random.NextDouble() - 0.5));
        for (var s = 0; s < seconds; s++)
        {
            var tone = ToneDataset.Tone(s % ToneDataset.Words.Length, random);
            for (var i = 0; i < Math.Min(tone.Length, 12000); i++) audio[s * 16000 + 2000 + i] += tone[i];
        }
        return audio;
    }

    /// <summary>
    /// The engines choose the same class, or two classes that tie within the tolerance in the expected engine's
    /// <paramref name="probabilities"/>: the test models have random weights, and a near-tie may swap between CPUs.
    /// </summary>
    private static void AssertSameClassUpToTies(float[] probabilities, int expected, int actual, string what) =>
        Assert.True(Math.Abs(probabilities[expected] - probabilities[actual]) <= Tolerance,
            $"{what}: the engines choose classes {expected} and {actual}, which do not tie");

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = expected.Zip(actual).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));
        Assert.True(difference <= Tolerance, $"probabilities differ by {difference:e2}");
    }

    /// <summary>A random width-8 model saved as a model folder, and the folder <c>tfcrnn export</c> makes of it.</summary>
    internal sealed class ModelFolders : IDisposable
    {
        private readonly TempDirectory directory = new("onnx-engine");

        private ModelFolders() { }

        public string Model => directory.Combine("model");

        public string Exported => directory.Combine("exported");

        public string Combine(string name) => directory.Combine(name);

        public static ModelFolders Create(string variant)
        {
            var folders = new ModelFolders();
            using (var model = OnnxExportTests.RandomModel(variant, seed: 21))
                ModelFolder.Save(model, folders.Model);
            OnnxExport.Run(new ExportOptions { Checkpoint = folders.Model, OutputDirectory = folders.Exported });
            return folders;
        }

        public void Dispose() => directory.Dispose();
    }
}
