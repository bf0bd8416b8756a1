using System.Text.Json.Serialization;
using TfCrnn.Data;
using TfCrnn.Runtime;

namespace TfCrnn.Training;

/// <summary>
/// Which steps the training loss covers (SPEC.md section 4): every step (many-to-many) or the last
/// one (many-to-one). The CNN has one step, so both are the same for it.
/// </summary>
[JsonConverter(typeof(OutputModeJsonConverter))]
public enum OutputMode { ManyToMany, ManyToOne }

/// <summary>The CLI and file spelling of <see cref="OutputMode"/>: <c>many2many</c>, <c>many2one</c>.</summary>
public static class OutputModes
{
    public static string Name(this OutputMode mode) => mode switch
    {
        OutputMode.ManyToMany => "many2many",
        OutputMode.ManyToOne => "many2one",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static OutputMode Parse(string name) => name switch
    {
        "many2many" => OutputMode.ManyToMany,
        "many2one" => OutputMode.ManyToOne,
        _ => throw new ArgumentException($"unknown output mode '{name}'; expected many2many or many2one"),
    };
}

internal sealed class OutputModeJsonConverter : JsonConverter<OutputMode>
{
    public override OutputMode Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert,
        System.Text.Json.JsonSerializerOptions options) => OutputModes.Parse(reader.GetString() ?? "");

    public override void Write(System.Text.Json.Utf8JsonWriter writer, OutputMode value,
        System.Text.Json.JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}

/// <summary>
/// Everything a training run needs; saved in the run folder's <c>config.json</c> so that a run can be
/// repeated or resumed. Defaults are the paper's recipe (SPEC.md section 4) at full width.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Speech Commands folder or .tar.gz (anything <c>SpeechCommandsDataset.Open</c> reads).</summary>
    public required string DataPath { get; init; }

    /// <summary>One of <see cref="Models.ModelConfig.Variants"/>.</summary>
    public required string Variant { get; init; }

    /// <summary>The run folder.</summary>
    public required string OutputDirectory { get; init; }

    public OutputMode Io { get; init; } = OutputMode.ManyToMany;

    /// <summary>Seeds weight initialisation, dropout, data order and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>Channels of the first block (128 in the paper); the others scale with it.</summary>
    public int Width { get; init; } = 128;

    public int MaxEpochs { get; init; } = 200;

    public int BatchSize { get; init; } = 64;

    /// <summary>Initial learning rate of the first stage.</summary>
    public double LearningRate { get; init; } = 0.025;

    /// <summary>Epochs without validation improvement tolerated before the rate falls.</summary>
    public int Patience { get; init; } = 2;

    /// <summary>Learning-rate stages; the run stops when the last one ends.</summary>
    public int Stages { get; init; } = 3;

    /// <summary>Train on a fixed subset of this many training clips.</summary>
    public int? LimitTrain { get; init; }

    /// <summary>Torch intra-op threads; 0 keeps torch's default.</summary>
    public int Threads { get; init; }

    /// <summary>A torch device string: <c>cpu</c>, <c>cuda</c>, <c>cuda:1</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Continue the run in <see cref="OutputDirectory"/> from its <c>last</c> checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>GRU state size of recurrent models (256 in the paper); the quickstart shrinks it.</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>
    /// The label set trained (<see cref="LabelSet.Named"/>): <c>commands35</c> (the paper's 35 words), <c>commands35+none</c>
    /// (and a rejection class) or <c>standard12</c> (the dataset's 12-label task).
    /// </summary>
    public string Task { get; init; } = LabelSet.Commands.Name!;

    /// <summary>How a task with rejection classes draws them; unused by the 35-word task.</summary>
    public RejectionMix Rejection { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad value.</summary>
    public TrainingOptions Validate()
    {
        ModelConfig().Validate();
        if (MaxEpochs < 1) throw new ArgumentException($"max epochs must be at least 1, got {MaxEpochs}");
        if (BatchSize < 1) throw new ArgumentException($"batch size must be at least 1, got {BatchSize}");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning rate must be positive, got {LearningRate}");
        if (Patience < 0) throw new ArgumentException($"patience must not be negative, got {Patience}");
        if (Stages < 1) throw new ArgumentException($"stages must be at least 1, got {Stages}");
        if (LimitTrain is < 1) throw new ArgumentException($"limit-train must be at least 1, got {LimitTrain}");
        if (Threads < 0) throw new ArgumentException($"threads must not be negative, got {Threads}");
        if (HiddenSize < 1) throw new ArgumentException($"hidden size must be at least 1, got {HiddenSize}");
        Rejection.Validate();
        return this;
    }

    /// <summary>The model these options train.</summary>
    public Models.ModelConfig ModelConfig() =>
        Models.ModelConfig.For(Variant) with { Width = Width, HiddenSize = HiddenSize, Labels = LabelSet.Parse(Task).Labels };
}
