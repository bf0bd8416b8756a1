namespace TfCrnn.IO;

/// <summary>Writes that never leave a half-written file: a temp file in the same folder, then a rename.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] bytes) =>
        Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Runs <paramref name="write"/> on a temp file beside <paramref name="path"/> and renames it into place.</summary>
    public static void Write(string path, Action<FileStream> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = TempPathBeside(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                write(stream);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static string TempPathBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
