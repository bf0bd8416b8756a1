using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.Data;
using TfCrnn.Runtime;

namespace TfCrnn.Models;

/// <summary>CNN (SampleCNN over the whole clip), CRNN, or TF-CRNN (GRU state fed back into the blocks).</summary>
public enum ModelFamily
{
    /// <summary>SampleCNN over the whole second.</summary>
    Cnn,

    /// <summary>A CNN per window and a GRU over the steps.</summary>
    Crnn,

    /// <summary>The CRNN with temporal feedback: h(t-1) gates every block.</summary>
    TfCrnn,
}

/// <summary>The convolutional block kind: Basic, SE (squeeze-excitation), Res-SE (residual + SE).</summary>
public enum BlockKind
{
    /// <summary>Convolution, BatchNorm, ReLU, max-pooling.</summary>
    Basic,

    /// <summary>Basic with channel gates.</summary>
    SqueezeExcitation,

    /// <summary>A residual branch with channel gates.</summary>
    ResidualSqueezeExcitation,
}

/// <summary>
/// A model variant and its hyper-parameters (the paper, Sections II–III; docs/reference-implementation.md, "Blocks" and
/// "Models"). Saved as <c>config.json</c> next to every model so that weights can always be rebuilt into the right
/// module.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The nine variant names used everywhere (CLI, files, reports).</summary>
    public static readonly IReadOnlyList<string> Variants =
    [
        "cnn-basic", "cnn-se", "cnn-resse",
        "crnn-basic", "crnn-se", "crnn-resse",
        "tfcrnn-basic", "tfcrnn-se", "tfcrnn-resse",
    ];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>One of <see cref="Variants"/>.</summary>
    public required string Variant { get; init; }

    /// <summary>Channels of the stem and first block; later blocks scale with it (128 in the paper).</summary>
    public int Width { get; init; } = 128;

    /// <summary>GRU state size (256).</summary>
    public int HiddenSize { get; init; } = 256;

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
                throw new ArgumentException($"classes {value} disagrees with the {labelSet.Count} labels");
            if (value < 1 || value > LabelTasks.Commands.Classes.Count)
                throw new ArgumentException($"classes {value} without labels: expected 1 to {LabelTasks.Commands.Classes.Count} of the Speech Commands words");
            labelSet = LabelSet.FromLabels([.. LabelTasks.Commands.Classes.Labels.Take(value)]);
        }
    }

    /// <summary>The class names, index = class index: the task the model was trained for (default: the 35 commands).</summary>
    public IReadOnlyList<string> Labels
    {
        get => LabelSet.Labels;
        init => labelSet = LabelSet.FromLabels(value);
    }

    /// <summary>The <see cref="Labels"/> with their keyword and rejection classes.</summary>
    [JsonIgnore]
    public LabelSet LabelSet => labelSet ?? LabelTasks.Commands.Classes;

    /// <summary>Samples per second of every model input.</summary>
    public const int SampleRate = 16000;

    /// <summary>The shortest window: int(log3(27)) − 1 = 2 blocks; shorter windows give one block or none.</summary>
    public const int MinimumWindow = 27;

    /// <summary>Samples per clip (16,000 = 1 s at 16 kHz).</summary>
    public int ClipSamples { get; init; } = 16000;

    /// <summary>
    /// Recurrent models: samples per step window (3,200 = 200 ms, twice the paper's 100 ms step). The block count follows
    /// it (<see cref="ModelArchitecture.BlockCount"/>); set it with <see cref="WithStep"/>.
    /// </summary>
    public int Window { get; init; } = 3200;

    /// <summary>
    /// Recurrent models: samples between step windows, always <see cref="Window"/> div 2 as in the authors' code
    /// (1,600 = 100 ms). Written to <c>config.json</c> for readers; a value read from one is ignored.
    /// </summary>
    public int Hop => Window / 2;

    /// <summary>Dropout before the classifier (CNN) or the GRU cell (recurrent).</summary>
    public double HeadDropout { get; init; } = 0.5;

    /// <summary>Dropout inside the Res-SE residual branch.</summary>
    public double ResidualDropout { get; init; } = 0.2;

    /// <summary>Excitation bottleneck = channels / this (8).</summary>
    public int ExcitationReduction { get; init; } = 8;

    /// <summary>CNN, CRNN or TF-CRNN, from the variant name.</summary>
    [JsonIgnore]
    public ModelFamily Family => Variant.Split('-')[0] switch
    {
        "cnn" => ModelFamily.Cnn,
        "crnn" => ModelFamily.Crnn,
        "tfcrnn" => ModelFamily.TfCrnn,
        _ => throw UnknownVariant(Variant),
    };

    /// <summary>The block kind, from the variant name.</summary>
    [JsonIgnore]
    public BlockKind Block => Variant.Split('-').ElementAtOrDefault(1) switch
    {
        "basic" => BlockKind.Basic,
        "se" => BlockKind.SqueezeExcitation,
        "resse" => BlockKind.ResidualSqueezeExcitation,
        _ => throw UnknownVariant(Variant),
    };

    /// <summary>Whether the model runs in steps with a GRU state (the CRNN and TF-CRNN families).</summary>
    [JsonIgnore]
    public bool IsRecurrent => Family != ModelFamily.Cnn;

    /// <summary>Recurrent steps per clip (9 for the defaults, <see cref="StepsOver"/>); 1 for the CNN.</summary>
    [JsonIgnore]
    public int Steps => IsRecurrent ? StepsOver(ClipSamples) : 1;

    /// <summary>Milliseconds between steps (100 for the defaults); the whole clip for the CNN.</summary>
    [JsonIgnore]
    public double StepMs => (IsRecurrent ? Hop : ClipSamples) * 1000.0 / SampleRate;

    /// <summary>
    /// Recurrent steps over <paramref name="samples"/> samples, as the authors' code counts them: 2 × (samples div
    /// window) − 1, step t covering samples [t·hop, t·hop + window). Where the window does not divide the input this
    /// leaves out windows that would still fit (a 2,400-sample window over 16,000 samples: 11 steps, not 12).
    /// </summary>
    public int StepsOver(long samples) => 2 * (int)(samples / Window) - 1;

    /// <summary>The default configuration of a variant, with a clear error for unknown names.</summary>
    public static ModelConfig For(string variant)
    {
        if (!Variants.Contains(variant))
            throw UnknownVariant(variant);
        return new ModelConfig { Variant = variant };
    }

    /// <summary>
    /// This configuration with the step of the CLI's <c>--step-ms</c> or <c>--window-ms</c> (null: keep the window).
    /// The paper grid-searched steps of 12.5, 25, 50, 100 and 250 ms with a window of twice the step (Section III-C):
    /// <paramref name="stepMs"/> sets the window to 2 × step. <paramref name="windowMs"/> sets the window itself;
    /// the step is then window div 2 samples, as the authors' code always has it.
    /// </summary>
    /// <exception cref="OptionException">The option does not give a valid model, or the variant is a CNN, which sees the
    /// whole clip at once; the option is named as the CLI spells it.</exception>
    public ModelConfig WithStep(double? stepMs, double? windowMs = null)
    {
        if (stepMs is null && windowMs is null) return this;
        if (stepMs is not null && windowMs is not null)
            throw new OptionException("--step-ms", "and --window-ms: give one, not both; the step is always half the window");
        var (option, milliseconds, windowsPerValue) = stepMs is { } step ? ("--step-ms", step, 2) : ("--window-ms", windowMs!.Value, 1);
        if (!IsRecurrent)
            throw new OptionException(option, $"applies to the recurrent models (crnn-*, tfcrnn-*); {Variant} sees the whole clip at once");
        var samples = milliseconds * SampleRate / 1000;
        var value = milliseconds.ToString(CultureInfo.InvariantCulture);
        if (!(samples > 0) || samples != Math.Floor(samples))
            throw new OptionException(option, $"{value}: not a positive whole number of samples at {SampleRate} Hz (use multiples of 0.0625 ms)");
        var window = windowsPerValue * samples;
        if (WindowProblem(window) is { } problem)
            throw new OptionException(option, $"{value} gives a {window.ToString(CultureInfo.InvariantCulture)}-sample window, {problem}");
        return this with { Window = (int)window };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value (<see cref="TfCrnnException"/> for the window).</summary>
    public ModelConfig Validate()
    {
        if (!Variants.Contains(Variant)) throw UnknownVariant(Variant);
        if (Width < 8 || Width % 8 != 0) throw new ArgumentException($"width must be a positive multiple of 8, got {Width}");
        if (IsRecurrent && WindowProblem(Window) is { } problem)
            throw new TfCrnnException($"window {Window} samples: {problem}");
        return this;
    }

    /// <summary>Why a window gives no valid recurrent model, or null.</summary>
    private string? WindowProblem(double window) =>
        window > ClipSamples ? $"longer than the {ClipSamples}-sample clip"
        : window < MinimumWindow ? $"shorter than {MinimumWindow} samples: the block count int(log3(window)) − 1 needs " +
                                   $"{MinimumWindow} samples for two blocks"
        : null;

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
    public static ModelConfig FromJson(string json) =>
        (JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions) ?? throw new JsonException("empty model config")).Validate();

    private static ArgumentException UnknownVariant(string variant) =>
        new($"unknown model '{variant}'; expected one of: {string.Join(", ", Variants)}");
}
