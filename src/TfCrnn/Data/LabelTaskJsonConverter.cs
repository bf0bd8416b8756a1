using System.Text.Json;
using System.Text.Json.Serialization;

namespace TfCrnn.Data;

/// <summary>Writes a <see cref="LabelTask"/> as its name (<c>commands35</c>) and reads it back as the task of that name.</summary>
internal sealed class LabelTaskJsonConverter : JsonConverter<LabelTask>
{
    public override LabelTask Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return LabelTasks.Parse(reader.GetString() ?? "");
        }
        catch (OptionException e)
        {
            throw new JsonException(e.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, LabelTask value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
