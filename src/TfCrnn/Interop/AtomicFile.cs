namespace TfCrnn.Interop;

/// <summary>Writes a file through a temporary file in the same folder, so readers never see half a file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<string> writeTemporary)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemporary(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void WriteAllText(string path, string text) => Write(path, temporary => File.WriteAllText(temporary, text));
}
