namespace TfCrnn.IO;

/// <summary>The per-user cache folder: <c>$XDG_CACHE_HOME</c>, else <c>~/.cache</c> (the XDG base-directory rule).</summary>
internal static class UserCache
{
    /// <summary><c>$XDG_CACHE_HOME/tfcrnn/…</c> or <c>~/.cache/tfcrnn/…</c>.</summary>
    public static string Folder(params string[] parts) =>
        Path.Combine([Root, "tfcrnn", .. parts]);

    private static string Root =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
}
