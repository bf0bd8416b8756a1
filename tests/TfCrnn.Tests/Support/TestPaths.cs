namespace TfCrnn.Tests.Support;

/// <summary>Locations the tests read: the repository and the read-only <c>shared/</c> beside it.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary><c>../shared/fixtures/reference</c>: golden outputs of the authors' PyTorch code.</summary>
    /// <remarks>A git worktree sits one level deeper than a clone, so the nearest <c>shared/</c> above the repository is used.</remarks>
    public static string ReferenceFixtures { get; } = FindReferenceFixtures();

    public static string Fixture(string name)
    {
        var path = Path.Combine(ReferenceFixtures, name);
        if (!File.Exists(path))
            throw new FileNotFoundException($"reference fixture missing (shared/ must sit beside the clone): {path}");
        return path;
    }

    private static string FindReferenceFixtures()
    {
        for (var dir = new DirectoryInfo(RepositoryRoot).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "reference");
            if (Directory.Exists(candidate))
                return candidate;
        }
        return Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "reference"));
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TfCrnn.slnx")))
                return dir.FullName;
        throw new DirectoryNotFoundException("TfCrnn.slnx not found above " + AppContext.BaseDirectory);
    }
}
