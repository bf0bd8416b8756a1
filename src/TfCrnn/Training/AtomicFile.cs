namespace TfCrnn.Training;

/// <summary>Writes that readers never see half-done: a temporary sibling, then a rename over the target.</summary>
internal static class AtomicFile
{
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        var temporary = TemporarySibling(path);
        try
        {
            await File.WriteAllTextAsync(temporary, text, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));

    /// <summary>Lets <paramref name="write"/> fill a temporary file, then moves it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        var temporary = TemporarySibling(path);
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string TemporarySibling(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return Path.Combine(Path.GetDirectoryName(full)!,
            $".{Path.GetFileNameWithoutExtension(full)}.tmp-{Guid.NewGuid():N}{Path.GetExtension(full)}");
    }
}
