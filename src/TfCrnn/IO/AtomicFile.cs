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

    /// <summary>
    /// A file written a piece at a time (more than memory should hold at once): <see cref="PendingFile.Stream"/> writes a
    /// temp file beside <paramref name="path"/>, which <see cref="PendingFile.Commit"/> renames into place; disposed
    /// without a commit, it leaves nothing.
    /// </summary>
    public static PendingFile Begin(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = TempPathBeside(path);
        return new PendingFile(path, temp, new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None));
    }

    /// <summary>A file being written by <see cref="Begin"/>.</summary>
    public sealed class PendingFile(string path, string temp, FileStream stream) : IDisposable
    {
        public FileStream Stream { get; } = stream;

        /// <summary>Closes the temp file and renames it into place.</summary>
        public void Commit()
        {
            Stream.Dispose();
            File.Move(temp, path, overwrite: true);
        }

        public void Dispose()
        {
            Stream.Dispose();
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static string TempPathBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
}
