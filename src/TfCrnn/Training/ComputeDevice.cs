using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TfCrnn.Training;

/// <summary>Where a run trains: the CPU, or a CUDA device (<c>train --device</c>).</summary>
/// <param name="IsCuda">A CUDA device rather than the CPU.</param>
/// <param name="Index">The CUDA device's index (<c>cuda:1</c>); null for the default one, and for the CPU.</param>
[JsonConverter(typeof(ComputeDeviceJsonConverter))]
public sealed record ComputeDevice(bool IsCuda, int? Index = null)
{
    /// <summary>The CPU.</summary>
    public static readonly ComputeDevice Cpu = new(IsCuda: false);

    /// <summary>The default CUDA device.</summary>
    public static readonly ComputeDevice Cuda = new(IsCuda: true);

    /// <summary>The spelling torch, <c>--device</c> and <c>config.json</c> use: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public override string ToString() =>
        !IsCuda ? "cpu" : Index is { } index ? $"cuda:{index.ToString(CultureInfo.InvariantCulture)}" : "cuda";

    /// <summary>Throws <see cref="OptionException"/> for a negative CUDA index or a CPU with one.</summary>
    public ComputeDevice Validate()
    {
        if (Index is < 0 || (!IsCuda && Index is not null))
            throw new OptionException("--device", $"must be cpu, cuda or cuda:N with N ≥ 0, got {(IsCuda ? "cuda" : "cpu")} with index {Index}");
        return this;
    }

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <exception cref="OptionException">Anything else, naming <paramref name="option"/>.</exception>
    public static ComputeDevice Parse(string option, string text) => text switch
    {
        "cpu" => Cpu,
        "cuda" => Cuda,
        _ when text.StartsWith("cuda:", StringComparison.Ordinal)
               && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index) => new(true, index),
        _ => throw new OptionException(option, $"must be cpu, cuda or cuda:N, got '{text}'"),
    };
}

internal sealed class ComputeDeviceJsonConverter : JsonConverter<ComputeDevice>
{
    public override ComputeDevice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return ComputeDevice.Parse("device", reader.GetString() ?? "");
        }
        catch (OptionException e)
        {
            throw new JsonException(e.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, ComputeDevice value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
