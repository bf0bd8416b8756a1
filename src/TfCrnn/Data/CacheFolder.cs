using System.Text.Json;
using TfCrnn.IO;

namespace TfCrnn.Data;

/// <summary>
/// What the caches (decoded clips, speech embeddings) share: a folder whose <c>manifest.json</c> is written last and
/// atomically, naming data files that are never overwritten (each build writes new names), so that a build killed at
/// any moment leaves nothing that is read; and the sweep of files that earlier builds left.
/// </summary>
internal static class CacheFolder
{
    public const string ManifestName = "manifest.json";

    /// <summary>How the file a build gathers its data in before writing the data files is named: a prefix, then a GUID and <c>.tmp</c>.</summary>
    public const string PendingPrefix = "pending-";

    private static readonly TimeSpan ConcurrentBuildMargin = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>A new build's name for its data files: unique, so that no file a reader may have mapped is overwritten.</summary>
    public static string BuildName() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>The manifest in <paramref name="directory"/>, or null when absent or unreadable (then the cache is rebuilt).</summary>
    public static T? TryLoadManifest<T>(string directory) where T : class
    {
        try
        {
            using var stream = File.OpenRead(Path.Combine(directory, ManifestName));
            return JsonSerializer.Deserialize<T>(stream, Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes the manifest atomically: the build's last step.</summary>
    public static void SaveManifest<T>(string directory, T manifest) =>
        AtomicFile.WriteAllBytes(Path.Combine(directory, ManifestName), JsonSerializer.SerializeToUtf8Bytes(manifest, Json));

    /// <summary>
    /// Removes data files (<paramref name="dataPattern"/>) of earlier builds. Files written less than a minute before this
    /// build <paramref name="started"/> may belong to a build running beside this one that has not mapped them yet (two
    /// runs opening a small dataset at once finish within milliseconds, below the file system's timestamp resolution) and
    /// are left for a later build to remove. Temp files that no process holds open are what a killed build left (a live
    /// build, this one included, holds its pending file and each file it writes open without sharing): pending files go
    /// at once, other temp files after the same minute.
    /// </summary>
    public static void DeleteStaleFiles(string directory, string dataPattern, IReadOnlySet<string> current, DateTime started)
    {
        var margin = started - ConcurrentBuildMargin;
        foreach (var file in Directory.EnumerateFiles(directory, dataPattern))
            if (!current.Contains(Path.GetFileName(file)) && File.GetLastWriteTimeUtc(file) < margin)
                TryDelete(file);
        foreach (var file in Directory.EnumerateFiles(directory, "*.tmp"))
            if ((Path.GetFileName(file).StartsWith(PendingPrefix, StringComparison.Ordinal) || File.GetLastWriteTimeUtc(file) < margin)
                && !IsHeldOpen(file))
                TryDelete(file);
    }

    /// <summary>Whether a process holds the file open without sharing (on Linux, .NET's FileShare.None is an advisory lock).</summary>
    private static bool IsHeldOpen(string file)
    {
        try
        {
            using var probe = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    public static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
