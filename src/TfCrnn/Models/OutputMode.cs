using System.Text.Json.Serialization;

namespace TfCrnn.Models;

/// <summary>
/// Which steps the training loss covers (docs/reference-implementation.md, "Training"): every step (many-to-many) or the last
/// one (many-to-one). The CNN has one step, so both are the same for it.
/// </summary>
[JsonConverter(typeof(OutputModeJsonConverter))]
public enum OutputMode
{
    /// <summary>The loss of every step (the paper's).</summary>
    ManyToMany,

    /// <summary>The loss of the last step.</summary>
    ManyToOne,
}

/// <summary>The CLI and file spelling of <see cref="OutputMode"/>: <c>many2many</c>, <c>many2one</c>.</summary>
internal static class OutputModes
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
        _ => throw new OptionException("--io", $"must be many2many or many2one, got '{name}'"),
    };
}

internal sealed class OutputModeJsonConverter : JsonConverter<OutputMode>
{
    public override OutputMode Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert,
        System.Text.Json.JsonSerializerOptions options)
    {
        try
        {
            return OutputModes.Parse(reader.GetString() ?? "");
        }
        catch (OptionException e)
        {
            throw new System.Text.Json.JsonException(e.Message);
        }
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, OutputMode value,
        System.Text.Json.JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}
