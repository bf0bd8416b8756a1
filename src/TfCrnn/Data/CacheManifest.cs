using System.Text.Json;
using TfCrnn.IO;

namespace TfCrnn.Data;

/// <summary>Where a clip's samples lie in its split's cache file (offsets and lengths in samples).</summary>
internal sealed record CachedClip(string Path, long Offset, int Length);

internal sealed record CachedSplit(string File, IReadOnlyList<CachedClip> Clips);

/// <summary>
/// <c>manifest.json</c> of a cache folder. It is written last, so a cache without a current manifest is
/// never read; the split files it names are never overwritten (each build writes new names).
/// </summary>
/// <param name="BackgroundNoise">The background-noise recordings (mono, 16 kHz), in their own file.</param>
internal sealed record CacheManifest(string Fingerprint, IReadOnlyDictionary<Split, CachedSplit> Splits, CachedSplit BackgroundNoise,
    IReadOnlyList<string> Warnings)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The manifest in <paramref name="directory"/>, or null when absent or unreadable (then the cache is rebuilt).</summary>
    public static CacheManifest? TryLoad(string directory)
    {
        try
        {
            using var stream = File.OpenRead(Path.Combine(directory, FileName));
            return JsonSerializer.Deserialize<CacheManifest>(stream, Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    public void Save(string directory) =>
        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));
}
