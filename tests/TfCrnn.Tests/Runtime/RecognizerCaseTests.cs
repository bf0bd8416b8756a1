using System.Globalization;
using System.Text.Json.Nodes;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Runtime;

/// <summary>
/// The shared recognizer cases (<c>tests/fixtures/recognizer/cases.json</c>, described in its README.md) through
/// <see cref="StreamingRecognizer"/>, step by step, as <c>web/test/recognizer.test.mjs</c> runs them through the
/// page's recognizer: the two must agree on every posterior and detection, and refuse the same options.
/// </summary>
public sealed class RecognizerCaseTests
{
    private static readonly JsonNode Shared = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("recognizer", "cases.json")))!;

    /// <summary>The options a case may give, spelt as in the <c>recognizer</c> metadata.</summary>
    private static readonly string[] OptionKeys = ["state", "smoothing_steps", "threshold", "refractory_seconds", "keywords"];

    /// <summary>
    /// Posteriors and scores in single precision against the JavaScript's doubles; times are exact multiples of the hop.
    /// A case may allow more (<c>tolerance</c>): a model over the speech embedding computes its log-mel here in C#, in
    /// the browser with the encoder's graph.
    /// </summary>
    private const double DefaultTolerance = 1e-5;

    public static TheoryData<string> Cases => [.. Shared["cases"]!.AsArray().Select(c => (string)c!["name"]!)];

    /// <summary>
    /// The scripted step model of a case: each lane's state counts the steps since its reset (every state value + 1),
    /// and class k's logit is bias + age·(its age weight) + level·(its level weight), where age is the lane's first
    /// state value after the step (0 without state) and level the mean of the window's scaled samples.
    /// </summary>
    private sealed class ScriptedModel(JsonNode model) : ICountedModel
    {
        private readonly double[][] logits = [.. model["logits"]!.AsArray().Select(k => k!.AsArray().Select(w => (double)w!).ToArray())];

        public StepModelInfo Info { get; } = ReadInfo(model["metadata"]!);

        public int Calls { get; private set; }

        public int WindowsPassed { get; private set; }

        public StepOutput Step(float[] windows, float[] state, int batch)
        {
            var windowLanes = Info.CheckStep(windows, state, batch);
            Calls++;
            WindowsPassed += windowLanes;
            var size = Info.StateSize;
            var next = state.Select(s => s + 1).ToArray();
            var output = new float[batch * logits.Length];
            for (var lane = 0; lane < batch; lane++)
            {
                var window = windows.AsSpan(windowLanes == 1 ? 0 : lane * Info.Window, Info.Window);
                var sum = 0.0;
                foreach (var x in window) sum += x;
                var level = sum / window.Length;
                var age = size > 0 ? next[lane * size] : 0;
                for (var k = 0; k < logits.Length; k++)
                    output[lane * logits.Length + k] = (float)(logits[k][0] + age * logits[k][1] + level * logits[k][2]);
            }
            return new StepOutput(output, next);
        }

        public void Dispose() { }
    }

    /// <summary>A model's facts from its ONNX metadata strings, read as the runtime reads an exported graph's.</summary>
    private static StepModelInfo ReadInfo(JsonNode metadata) =>
        OnnxMetadata.ReadInfo(metadata.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!), "case model");

    /// <summary>A number as a case writes it: a JSON number, or a string for one JSON cannot hold ("NaN", "Infinity").</summary>
    private static double Number(JsonNode value) => value.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? double.Parse((string)value!, CultureInfo.InvariantCulture)
        : (double)value;

    /// <summary>A case's options over its model's <c>recognizer</c> metadata.</summary>
    private static RecognizerOptions Options(JsonObject defaults, JsonObject options)
    {
        Assert.Empty(options.Select(p => p.Key).Except(OptionKeys));
        JsonNode? Option(string key) => options.ContainsKey(key) ? options[key] : defaults[key];
        return new RecognizerOptions
        {
            State = StatePolicy.Parse((string)Option("state")!),
            SmoothingSteps = (int)Option("smoothing_steps")!,
            Threshold = (float)Number(Option("threshold")!),
            RefractorySeconds = Number(Option("refractory_seconds")!),
            Keywords = Option("keywords")?.AsArray().Select(w => (string)w!).ToList(),
        };
    }

    /// <summary>
    /// A case's audio, its segments one after another: <c>[samples, value]</c> constant samples, or <c>{samples, noise:
    /// seed, level}</c> the resampler cases' white noise (<see cref="ResamplerCaseTests.Segments"/>) times level.
    /// </summary>
    private static float[] Audio(JsonArray segments)
    {
        var audio = new List<float>();
        foreach (var segment in segments)
        {
            if (segment is JsonArray constant)
                audio.AddRange(Enumerable.Repeat((float)(double)constant[1]!, (int)constant[0]!));
            else
                audio.AddRange(ResamplerCaseTests.Segments([segment!.DeepClone()]).Select(x => x * (float)(double)segment["level"]!));
        }
        return [.. audio];
    }

    /// <summary>
    /// A step model counting its calls: the export folder a case model names (<c>export</c>, a model over the speech
    /// embedding, loaded as apps load it: <see cref="ExportedModel.Load"/>), or the scripted model of its metadata and logits.
    /// </summary>
    private static ICountedModel CaseModel(JsonNode model) => model["export"] is { } folder
        ? new ExportedCaseModel(ExportedModel.Load(Path.Combine(TestPaths.Fixtures("recognizer"), (string)folder!)))
        : new ScriptedModel(model);

    private interface ICountedModel : IStepModel
    {
        int Calls { get; }

        /// <summary>Windows handed to the model: one a call is one trunk pass a step.</summary>
        int WindowsPassed { get; }
    }

    private sealed class ExportedCaseModel(ExportedModel model) : ICountedModel
    {
        public StepModelInfo Info => model.Info;

        public int Calls { get; private set; }

        public int WindowsPassed { get; private set; }

        public StepOutput Step(float[] windows, float[] state, int batch)
        {
            Calls++;
            WindowsPassed += windows.Length / Info.Window;
            return model.Step.Step(windows, state, batch);
        }

        public void Dispose() => model.Dispose();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheRecognizerAgreesWithTheSharedCase(string name)
    {
        var c = Shared["cases"]!.AsArray().Single(c => (string)c!["name"]! == name)!;
        var modelNode = Shared["models"]![(string)c["model"]!]!;
        using var model = CaseModel(modelNode);
        var defaults = JsonNode.Parse(Recognizer(modelNode))!.AsObject();
        var options = c["options"]!.AsObject();
        if (c["error"] is { } error)
        {
            var refused = Assert.Throws<OptionException>(() => new StreamingRecognizer(model, Options(defaults, options)));
            static string Names(string text) => text.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
            Assert.True(Names(refused.Message).Contains(Names((string)error!), StringComparison.Ordinal),
                $"'{refused.Message}' does not name {error}");
            return;
        }

        var recognizer = new StreamingRecognizer(model, Options(defaults, options));
        var steps = new List<RecognitionStep>();
        recognizer.Stepped += (_, s) => steps.Add(s);
        var audio = Audio(c["audio"]!.AsArray());
        var chunks = c["chunks"]!.AsArray().Select(n => (int)n!).ToArray();
        for (int at = 0, i = 0; at < audio.Length; i++)
        {
            var size = Math.Min(chunks[i % chunks.Length], audio.Length - at);
            recognizer.Push(audio.AsSpan(at, size));
            at += size;
        }

        var expected = c["expected"]!;
        var tolerance = c["tolerance"] is { } given ? (double)given : DefaultTolerance;
        Assert.Equal((int)expected["lanes"]!, recognizer.LanesPerStep);
        var posteriors = expected["posteriors"]!.AsArray();
        // One model call a step after the clip of silence that primes the lanes, each with one window for all lanes.
        Assert.Equal(model.Info.StepsPerClip - 1 + posteriors.Count, model.Calls);
        Assert.Equal(model.Calls, model.WindowsPassed);
        Assert.Equal(posteriors.Count, steps.Count);
        for (var i = 0; i < steps.Count; i++)
            for (var k = 0; k < steps[i].Posteriors.Length; k++)
                Assert.True(Math.Abs(steps[i].Posteriors[k] - (double)posteriors[i]![k]!) <= tolerance,
                    $"step {i} class {k}: {steps[i].Posteriors[k]}, expected {posteriors[i]![k]}");
        var detections = steps.Where(s => s.Detection is not null).ToList();
        var expectedDetections = expected["detections"]!.AsArray();
        Assert.Equal(expectedDetections.Select(d => $"{d!["step"]} {d["word"]}"), detections.Select(s => $"{s.Index} {s.Detection!.Word}"));
        for (var i = 0; i < detections.Count; i++)
        {
            var (d, e) = (detections[i].Detection!, expectedDetections[i]!);
            Assert.Equal((double)e["start"]!, d.Start, tolerance);
            Assert.Equal((double)e["end"]!, d.End, tolerance);
            Assert.Equal((double)e["score"]!, d.Score, tolerance);
        }
    }

    [Fact]
    public void TheCasesModelsDeclareTheRuntimesDefaults()
    {
        // What tfcrnn export writes into the recognizer metadata, and what the page falls back on: the refractory time
        // is the model's (1.5 s for a head over the speech embedding).
        var defaults = new RecognizerOptions();
        foreach (var model in Shared["models"]!.AsObject())
        {
            var metadata = JsonNode.Parse(Recognizer(model.Value!))!;
            Assert.Equal(defaults.State.ToString(), (string)metadata["state"]!);
            Assert.Equal(defaults.SmoothingSteps, (int)metadata["smoothing_steps"]!);
            Assert.Equal(defaults.Threshold, (float)(double)metadata["threshold"]!);
            var refractory = model.Value!["export"] is null ? RecognizerOptions.DefaultRefractorySeconds : SpeechEmbeddingGeometry.RefractorySeconds;
            Assert.Equal(refractory, (double)metadata["refractory_seconds"]!);
        }
    }

    /// <summary>A case model's <c>recognizer</c> metadata: its own, or that of the step graph of the folder it names.</summary>
    private static string Recognizer(JsonNode model)
    {
        if (model["export"] is not { } folder) return (string)model["metadata"]!["recognizer"]!;
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions();
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(TestPaths.Fixture("recognizer", Path.Combine((string)folder!, OnnxMetadata.StepFile)), options);
        return session.ModelMetadata.CustomMetadataMap[OnnxMetadata.Recognizer];
    }
}
