namespace TfCrnn.Tests.Support;

/// <summary>Locations the tests read: the repository and its <c>tests/fixtures/</c> folders.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A fixture folder of the repository: <c>tests/fixtures/<paramref name="folder"/></c>.</summary>
    public static string Fixtures(string folder)
    {
        var path = Path.Combine(RepositoryRoot, "tests", "fixtures", folder);
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"fixture folder missing from the repository: {path}");
        return path;
    }

    /// <summary>A file of a fixture folder of the repository.</summary>
    public static string Fixture(string folder, string file)
    {
        var path = Path.Combine(Fixtures(folder), file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"fixture missing from the repository: {path}");
        return path;
    }

    /// <summary>
    /// The nearest <c>shared/fixtures/<paramref name="folder"/></c> above the repository (files too large for it, such
    /// as the full-width references), or null where there is none, as in a plain clone.
    /// </summary>
    public static string? SharedFixtures(string folder)
    {
        for (var dir = new DirectoryInfo(RepositoryRoot).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", folder);
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TfCrnn.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException("TfCrnn.slnx not found above " + AppContext.BaseDirectory);
    }
}
