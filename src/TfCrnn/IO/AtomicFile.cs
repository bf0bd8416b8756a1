namespace TfCrnn.IO;

/// <summary>Writes that never leave a half-written file: a temp file in the same folder, then a rename.</summary>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] bytes) =>
        Write(path, stream => stream.Write(bytes));

    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Runs <paramref name="write"/> on a temp file beside <paramref name="path"/> and renames it into place.</summary>
    public static void Write(string path, Action<FileStream> write) =>
        WriteThroughPath(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            write(stream);
        });

    /// <summary>
    /// As <see cref="Write(string, Action{FileStream})"/> for writers that want a file name rather than
    /// a stream (TorchSharp's <c>save_py</c>): <paramref name="writeFile"/> gets the temp path.
    /// </summary>
    public static void WriteThroughPath(string path, Action<string> writeFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = TempPathBeside(path);
        try
        {
            writeFile(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static string TempPathBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
