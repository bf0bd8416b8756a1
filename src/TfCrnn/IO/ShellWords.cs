namespace TfCrnn.IO;

/// <summary>Command lines that a POSIX shell reads back as the same words (printed hints, job scripts).</summary>
internal static class ShellWords
{
    /// <summary><paramref name="word"/> as is when it is plain, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";

    /// <summary>The words quoted and joined by spaces.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
