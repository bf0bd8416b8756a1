namespace TfCrnn.Runtime.Onnx;

/// <summary>
/// The names inside an exported model folder (what <c>tfcrnn export</c> writes): its two graphs, their inputs and
/// outputs, and the keys of the <c>metadata_props</c> of both graphs, so that an app needs nothing but the .onnx
/// file: what the inputs mean, how to frame audio and how to name the outputs.
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
}
