using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.Runtime;

namespace TfCrnn.Models;

/// <summary>CNN (SampleCNN over the whole clip), CRNN, or TF-CRNN (GRU state fed back into the blocks).</summary>
public enum ModelFamily { Cnn, Crnn, TfCrnn }

/// <summary>The convolutional block kind: Basic, SE (squeeze-excitation), Res-SE (residual + SE).</summary>
public enum BlockKind { Basic, SqueezeExcitation, ResidualSqueezeExcitation }

/// <summary>
/// A model variant and its hyper-parameters (SPEC.md sections 2–3). Saved as <c>config.json</c>
/// next to every model so that weights can always be rebuilt into the right module.
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
            if (value < 1 || value > LabelSet.Commands.Count)
                throw new ArgumentException($"classes {value} without labels: expected 1 to {LabelSet.Commands.Count} of the Speech Commands words");
            labelSet = LabelSet.FromLabels([.. LabelSet.Commands.Labels.Take(value)]);
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
    public LabelSet LabelSet => labelSet ?? LabelSet.Commands;

    /// <summary>Samples per clip (16,000 = 1 s at 16 kHz).</summary>
    public int ClipSamples { get; init; } = 16000;

    /// <summary>Recurrent models: samples per step window (3,200 = 200 ms).</summary>
    public int Window { get; init; } = 3200;

    /// <summary>Recurrent models: samples between step windows (1,600 = 100 ms).</summary>
    public int Hop { get; init; } = 1600;

    /// <summary>Dropout before the classifier (CNN) or the GRU cell (recurrent).</summary>
    public double HeadDropout { get; init; } = 0.5;

    /// <summary>Dropout inside the Res-SE residual branch.</summary>
    public double ResidualDropout { get; init; } = 0.2;

    /// <summary>Excitation bottleneck = channels / this (8).</summary>
    public int ExcitationReduction { get; init; } = 8;

    [JsonIgnore]
    public ModelFamily Family => Variant.Split('-')[0] switch
    {
        "cnn" => ModelFamily.Cnn,
        "crnn" => ModelFamily.Crnn,
        "tfcrnn" => ModelFamily.TfCrnn,
        _ => throw UnknownVariant(Variant),
    };

    [JsonIgnore]
    public BlockKind Block => Variant.Split('-').ElementAtOrDefault(1) switch
    {
        "basic" => BlockKind.Basic,
        "se" => BlockKind.SqueezeExcitation,
        "resse" => BlockKind.ResidualSqueezeExcitation,
        _ => throw UnknownVariant(Variant),
    };

    [JsonIgnore]
    public bool IsRecurrent => Family != ModelFamily.Cnn;

    /// <summary>Recurrent steps per clip (9 for the defaults); 1 for the CNN.</summary>
    [JsonIgnore]
    public int Steps => IsRecurrent ? (ClipSamples - Window) / Hop + 1 : 1;

    /// <summary>The default configuration of a variant, with a clear error for unknown names.</summary>
    public static ModelConfig For(string variant)
    {
        if (!Variants.Contains(variant))
            throw UnknownVariant(variant);
        return new ModelConfig { Variant = variant };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public ModelConfig Validate()
    {
        if (!Variants.Contains(Variant)) throw UnknownVariant(Variant);
        if (Width < 8 || Width % 8 != 0) throw new ArgumentException($"width must be a positive multiple of 8, got {Width}");
        if (IsRecurrent && (Window <= 0 || Hop <= 0 || Window > ClipSamples))
            throw new ArgumentException($"window {Window} and hop {Hop} must be positive and the window at most {ClipSamples} samples");
        return this;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static ModelConfig FromJson(string json) =>
        (JsonSerializer.Deserialize<ModelConfig>(json, JsonOptions) ?? throw new JsonException("empty model config")).Validate();

    private static ArgumentException UnknownVariant(string variant) =>
        new($"unknown model '{variant}'; expected one of: {string.Join(", ", Variants)}");
}
