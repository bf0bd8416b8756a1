using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.Data;
using TfCrnn.Runtime;

namespace TfCrnn.Models;

/// <summary>
/// A model of the registry (<see cref="ModelRegistry"/>) and its hyper-parameters (for the paper's nine: Sections II–III;
/// docs/reference-implementation.md, "Blocks" and "Models"). Saved as <c>config.json</c> next to every model so that
/// weights can always be rebuilt into the right module. A model reads the hyper-parameters it has and ignores the others.
/// </summary>
public sealed record ModelConfig
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The model's name, one of <see cref="ModelRegistry.Names"/>.</summary>
    public required string Variant { get; init; }

    /// <summary>The model's declaration in the registry.</summary>
    /// <exception cref="ModelConfigException">No model of the registry has the name <see cref="Variant"/>.</exception>
    [JsonIgnore]
    public ModelDeclaration Model => ModelRegistry.Get(Variant);

    /// <summary>Channels of the stem and first block; later blocks scale with it (128 in the paper).</summary>
    public int Width { get; init; } = 128;

    /// <summary>GRU state size (256 for the paper's models; the embedding heads' default is 64).</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>
    /// GRU cells stacked in the recurrent head, each feeding the next (1; the paper's models have one, the embedding
    /// heads up to <see cref="ModelDeclaration.MaxHeadLayers"/>). The state h is every cell's, one after the other.
    /// </summary>
    public int HeadLayers { get; init; } = 1;

    private readonly LabelSet? labelSet;

    /// <summary>
    /// Output classes: the number of <see cref="Labels"/> (35 for the paper's task). Setting it without labels, as a
    /// <c>config.json</c> from before labels were stored does, names the first that many of the 35 commands. Written
    /// after the labels, so that reading a file sees them first.
    /// </summary>
    [JsonPropertyOrder(1)]
    public int Classes
    {
        get => LabelSet.Count;
        init
        {
            if (value == Classes) return;
            if (labelSet is not null)
                throw new ModelConfigException($"classes {value} disagrees with the {labelSet.Count} labels");
            if (value < 1 || value > LabelTasks.Commands.Classes.Count)
                throw new ModelConfigException($"classes {value} without labels: expected 1 to {LabelTasks.Commands.Classes.Count} of the Speech Commands words");
            labelSet = LabelSet.FromLabels([.. LabelTasks.Commands.Classes.Labels.Take(value)]);
        }
    }

    /// <summary>The class names, index = class index: the task the model was trained for (default: the 35 commands).</summary>
    public IReadOnlyList<string> Labels
    {
        get => LabelSet.Labels;
        init
        {
            try
            {
                labelSet = LabelSet.FromLabels(value);
            }
            catch (TfCrnnException e)
            {
                throw new ModelConfigException($"labels: {e.Message}", e);
            }
        }
    }

    /// <summary>The <see cref="Labels"/> with their keyword and rejection classes.</summary>
    [JsonIgnore]
    public LabelSet LabelSet => labelSet ?? LabelTasks.Commands.Classes;

    /// <summary>Samples per second of every model input.</summary>
    public const int SampleRate = 16000;

    /// <summary>Samples per clip (16,000 = 1 s at 16 kHz).</summary>
    public int ClipSamples { get; init; } = 16000;

    /// <summary>
    /// Models with a settable step: samples per step window (3,200 = 200 ms, twice the paper's 100 ms step); the paper's
    /// block count follows it (<see cref="Paper.ModelArchitecture.BlockCount"/>). Set it with <see cref="WithStep"/>.
    /// </summary>
    public int Window { get; init; } = 3200;

    /// <summary>
    /// <see cref="Window"/> div 2, as in the authors' code (1,600 = 100 ms): the paper's models' hop between windows, and
    /// between decisions when streaming slides the CNN. Written to <c>config.json</c> for readers; a value read from one
    /// is ignored. <see cref="Geometry"/> is what a model's stepping uses.
    /// </summary>
    public int Hop => Window / 2;

    /// <summary>Dropout before the classifier (CNN) or the GRU cell (recurrent).</summary>
    public double HeadDropout { get; init; } = 0.5;

    /// <summary>Dropout inside the Res-SE residual branch.</summary>
    public double ResidualDropout { get; init; } = 0.2;

    /// <summary>Excitation bottleneck = channels / this (8).</summary>
    public int ExcitationReduction { get; init; } = 8;

    /// <summary>Whether the model is stepwise-recurrent (<see cref="ModelDeclaration.IsRecurrent"/>): the CRNN and TF-CRNN families.</summary>
    [JsonIgnore]
    public bool IsRecurrent => Model.IsRecurrent;

    /// <summary>How the model steps through audio: window, hop and steps per clip.</summary>
    [JsonIgnore]
    public StepGeometry Geometry => Model.Geometry(this);

    /// <summary>Steps per clip (9 for the paper's recurrent defaults); 1 for a clip model.</summary>
    [JsonIgnore]
    public int Steps => Geometry.StepsPerClip;

    /// <summary>Floats of state per clip that a step takes and returns (the GRU's 256); 0 for a clip model.</summary>
    [JsonIgnore]
    public int StateSize => Model.StateSize(this);

    /// <summary>Milliseconds between steps within a clip (100 for the defaults); the whole clip for a clip model.</summary>
    [JsonIgnore]
    public double StepMs => (IsRecurrent ? Geometry.Hop : Geometry.Window) * 1000.0 / SampleRate;

    /// <summary>The default configuration of a model (<see cref="ModelDeclaration.DefaultConfig"/>).</summary>
    /// <exception cref="ModelConfigException">No model has that name.</exception>
    public static ModelConfig For(string variant) => ModelRegistry.Get(variant).DefaultConfig;

    /// <summary>
    /// This configuration with the step of the CLI's <c>--step-ms</c> or <c>--window-ms</c> (null: keep the window).
    /// The paper grid-searched steps of 12.5, 25, 50, 100 and 250 ms with a window of twice the step (Section III-C):
    /// <paramref name="stepMs"/> sets the window to 2 × step. <paramref name="windowMs"/> sets the window itself;
    /// the step is then window div 2 samples, as the authors' code always has it.
    /// </summary>
    /// <exception cref="OptionException">The option does not give a valid model, or the model's step is fixed (the CNN
    /// sees the whole clip at once); the option is named as the CLI spells it.</exception>
    public ModelConfig WithStep(double? stepMs, double? windowMs = null)
    {
        if (stepMs is null && windowMs is null) return this;
        if (stepMs is not null && windowMs is not null)
            throw new OptionException("--step-ms", "and --window-ms: give one, not both; the step is always half the window");
        var (option, milliseconds, windowsPerValue) = stepMs is { } step ? ("--step-ms", step, 2) : ("--window-ms", windowMs!.Value, 1);
        if (!Model.HasSettableStep)
            throw new OptionException(option, Model.FixedStep);
        var samples = milliseconds * SampleRate / 1000;
        var value = milliseconds.ToString(CultureInfo.InvariantCulture);
        if (!(samples > 0) || samples != Math.Floor(samples))
            throw new OptionException(option, $"{value}: not a positive whole number of samples at {SampleRate} Hz (use multiples of 0.0625 ms)");
        var window = windowsPerValue * samples;
        if (Model.WindowProblem(this, window) is { } problem)
            throw new OptionException(option, $"{value} gives a {window.ToString(CultureInfo.InvariantCulture)}-sample window, {problem}");
        return this with { Window = (int)window };
    }

    /// <summary>
    /// This configuration with the head and trunk sizes of the CLI's <c>--width</c>, <c>--hidden-size</c> and
    /// <c>--head-layers</c> (null: keep the model's).
    /// </summary>
    /// <exception cref="OptionException">A value the model cannot take, or an option that does not apply to it; the option
    /// is named as the CLI spells it.</exception>
    public ModelConfig WithSizes(int? width, int? hiddenSize = null, int? headLayers = null)
    {
        var model = Model;
        if (width is { } w)
        {
            if (!model.HasWidth)
                throw new OptionException("--width", $"does not apply to {Variant}, which has no convolutional trunk (its features come from the {model.FrontEnd.Name} front end)");
            OptionChecks.Width("--width", w);
        }
        if (hiddenSize is { } h) OptionChecks.AtLeast("--hidden-size", h, 1);
        if (headLayers is { } layers && (layers < 1 || layers > model.MaxHeadLayers))
            throw new OptionException("--head-layers", model.MaxHeadLayers == 1
                ? $"does not apply to {Variant}, whose head is one GRU cell"
                : $"must be 1 to {model.MaxHeadLayers}, got {layers}");
        return this with { Width = width ?? Width, HiddenSize = hiddenSize ?? HiddenSize, HeadLayers = headLayers ?? HeadLayers };
    }

    /// <summary>Throws <see cref="ModelConfigException"/> naming the bad value: an unknown model, or values it cannot take.</summary>
    public ModelConfig Validate()
    {
        var model = Model;
        if (HiddenSize < 1) throw new ModelConfigException($"hidden size must be at least 1, got {HiddenSize}");
        if (HeadLayers < 1 || HeadLayers > model.MaxHeadLayers)
            throw new ModelConfigException($"head layers must be 1 to {model.MaxHeadLayers} for {Variant}, got {HeadLayers}");
        model.Validate(this);
        return this;
    }

    /// <summary>The config as <c>config.json</c> holds it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// Equal when the <c>config.json</c> files are: the default labels are the 35 commands whether they were given
    /// (a file read back) or left out (<see cref="For"/>), which the fields alone would tell apart.
    /// </summary>
    public bool Equals(ModelConfig? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc/>
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    /// <summary>A config from <c>config.json</c> text; configs written before labels were saved hold the 35 words.</summary>
    /// <exception cref="ModelConfigException">Not a model config, or an invalid one.</exception>
    public static ModelConfig FromJson(string json)
    {
        ModelConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(e.Message, e);
        }
        return (config ?? throw new ModelConfigException("empty model config")).Validate();
    }
}
