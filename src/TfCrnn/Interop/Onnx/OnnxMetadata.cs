namespace TfCrnn.Interop.Onnx;

/// <summary>
/// The keys of the <c>metadata_props</c> that <see cref="OnnxExport"/> writes into both graphs, so that an app
/// needs nothing but the .onnx file: what the inputs mean, how to frame audio and how to name the outputs.
/// </summary>
public static class OnnxMetadata
{
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

    /// <summary>The training options of the run (JSON), when the checkpoint was a run folder.</summary>
    public const string TrainingRecipe = "training_recipe";
}
