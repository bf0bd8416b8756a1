using System.Globalization;
using System.Text.Json;

namespace TfCrnn.Runtime.Onnx;

/// <summary>
/// The names inside an exported model folder (what <c>tfcrnn export</c> writes): its two graphs, their inputs and
/// outputs, and the keys of the <c>metadata_props</c> of both graphs, so that an app needs nothing but the .onnx
/// file: what the inputs mean, how to frame audio and how to name the outputs; and how the runtime reads them.
/// </summary>
public static class OnnxMetadata
{
    /// <summary>The whole-clip graph: <see cref="WaveformInput"/> (batch, 1, clip samples) → <see cref="LogitsOutput"/> (steps, batch, classes).</summary>
    public const string ClipFile = "clip.onnx";

    /// <summary>
    /// The step graph: <see cref="WindowInput"/> (batch, 1, window) and <see cref="HiddenInput"/> h(t-1) (batch, hidden)
    /// → <see cref="LogitsOutput"/> (batch, classes) and <see cref="NextHiddenOutput"/> h(t). Without state (the CNN)
    /// only the window goes in and the logits come out.
    /// </summary>
    public const string StepFile = "step.onnx";

    public const string WaveformInput = "waveform";
    public const string WindowInput = "window";
    public const string HiddenInput = "hidden";
    public const string LogitsOutput = "logits";
    public const string NextHiddenOutput = "next_hidden";

    /// <summary>The symbolic batch dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    /// <summary>
    /// The first dimension of a recurrent step graph's window: 1, one window that every lane of the state hears (the
    /// layers before the state's first use then run once), or <see cref="BatchDimension"/>. Step graphs exported
    /// before it existed take <see cref="BatchDimension"/> windows only.
    /// </summary>
    public const string WindowBatchDimension = "window_batch";

    /// <summary>JSON array of the class names, in logit order.</summary>
    public const string Labels = "labels";

    /// <summary>Samples per second of the input (16000).</summary>
    public const string SampleRate = "sample_rate";

    /// <summary>Samples of one clip (the clip graph's input length).</summary>
    public const string ClipSamples = "clip_samples";

    /// <summary>Samples of one step window (the step graph's input length; the clip for the CNN).</summary>
    public const string Window = "window";

    /// <summary>Samples between two steps (the streaming hop; also the CNN's).</summary>
    public const string Hop = "hop";

    /// <summary>
    /// Steps over one clip from zero state, as the model is trained (<see cref="StepModelInfo.StepsPerClip"/>; 1 for a
    /// clip model). Exports made before this key existed lack it (<see cref="LegacyStepsPerClip"/>).
    /// </summary>
    public const string Steps = "steps";

    /// <summary>Factor applied to samples in [-1, 1] before they enter either graph (1 / 0.0860).</summary>
    public const string InputScale = "input_scale";

    /// <summary>One of the nine variant names.</summary>
    public const string Variant = "variant";

    /// <summary>Channels of the stem.</summary>
    public const string Width = "width";

    /// <summary>Size of the state h the step graph takes and returns; 0 for the CNN, which has none.</summary>
    public const string HiddenSize = "hidden_size";

    /// <summary><c>clip</c> or <c>step</c>.</summary>
    public const string Graph = "graph";

    /// <summary>The model's config.json, from which the TorchSharp model is rebuilt.</summary>
    public const string ModelConfig = "model_config";

    /// <summary>
    /// The streaming recognizer's defaults (<see cref="RecognizerOptions"/>) as JSON: <c>state</c> (policy spelling),
    /// <c>smoothing_steps</c>, <c>threshold</c>, <c>refractory_seconds</c>; a recognizer in another language reads them
    /// from here so that it decides as this runtime does.
    /// </summary>
    public const string Recognizer = "recognizer";

    /// <summary>The training options of the run (JSON), when the checkpoint was a run folder.</summary>
    public const string TrainingRecipe = "training_recipe";

    /// <summary>
    /// What a model over a frozen front end (<see cref="FrontEnd"/>) takes instead of samples: its front end's
    /// features, (window_batch, features) one step in the step graph and (batch, steps, features) in the clip graph.
    /// </summary>
    public const string FeaturesInput = "features";

    /// <summary>
    /// The front end of a model whose graphs take features (<see cref="FeaturesInput"/>) computed before them:
    /// <c>speech-embedding</c> (<see cref="SpeechEmbedding.SpeechEmbeddingGeometry.FrontEndName"/>), whose two graph
    /// files the export folder holds beside the model's (<see cref="EncoderFiles"/>). Absent for the waveform models.
    /// </summary>
    public const string FrontEnd = "front_end";

    /// <summary>The front end's numbers as JSON (<see cref="SpeechEmbedding.SpeechEmbeddingGeometry.ToJson"/>): framing, blocks, windows, clip padding.</summary>
    public const string FrontEndGeometry = "front_end_geometry";

    /// <summary>The npm package the front end's graph files come from, <c>name@version</c>.</summary>
    public const string EncoderPackage = "encoder_package";

    /// <summary>JSON object: each front-end graph file of the export folder and its SHA-256 (lower-case hex), checked when the folder is loaded.</summary>
    public const string EncoderFiles = "encoder_files";

    /// <summary>What is known of the front-end files' licence, in lines (text).</summary>
    public const string EncoderLicence = "encoder_licence";

    /// <summary>
    /// The framing, labels and state size an exported graph's <c>metadata_props</c> declare. An export made before
    /// <see cref="Steps"/> existed (all of them the paper's nine) has <see cref="LegacyStepsPerClip"/> steps.
    /// </summary>
    /// <param name="path">Names the graph in errors.</param>
    /// <exception cref="TfCrnnException">A key is missing or its value is not what it should be.</exception>
    internal static StepModelInfo ReadInfo(IReadOnlyDictionary<string, string> metadata, string path)
    {
        string Text(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new TfCrnnException($"{path}: metadata '{key}' missing (not written by tfcrnn export?)");
        int Integer(string key) => int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new TfCrnnException($"{path}: metadata '{key}' is not an integer: '{Text(key)}'");
        string[] labels;
        try
        {
            // JsonDocument rather than a deserializer: nothing for the trimmer to lose.
            using var document = JsonDocument.Parse(Text(Labels));
            labels = [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "")];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new TfCrnnException($"{path}: metadata '{Labels}' is not a JSON array of strings", e);
        }
        if (!double.TryParse(Text(InputScale), NumberStyles.Float, CultureInfo.InvariantCulture, out var inputScale) || !(inputScale > 0))
            throw new TfCrnnException($"{path}: metadata '{InputScale}' is not a positive number");
        var steps = metadata.ContainsKey(Steps) ? Integer(Steps) : LegacyStepsPerClip(Integer(ClipSamples), Integer(Window));
        return new StepModelInfo(LabelSet.FromLabels(labels), Integer(SampleRate), Integer(Window), Integer(Hop),
            Integer(ClipSamples), steps, Integer(HiddenSize), (float)inputScale, Text(Variant), Refractory(metadata, path)).Validate();
    }

    /// <summary>The <see cref="Recognizer"/> defaults' <c>refractory_seconds</c>; an export without them has the default.</summary>
    private static double Refractory(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(Recognizer, out var json)) return RecognizerOptions.DefaultRefractorySeconds;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("refractory_seconds", out var value) && value.TryGetDouble(out var seconds) && seconds >= 0
                ? seconds
                : throw new TfCrnnException($"{path}: metadata '{Recognizer}' has no refractory_seconds of 0 or more");
        }
        catch (JsonException e)
        {
            throw new TfCrnnException($"{path}: metadata '{Recognizer}' is not JSON", e);
        }
    }

    /// <summary>
    /// The steps per clip of an export without <see cref="Steps"/>: 2 × (clip div window) − 1, the authors' count, which
    /// every model exported before the key existed (the paper's nine) used. Never for a newer export.
    /// </summary>
    internal static int LegacyStepsPerClip(int clipSamples, int window) => 2 * (clipSamples / window) - 1;
}
