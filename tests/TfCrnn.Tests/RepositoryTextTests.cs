using TfCrnn.Tests.Support;

namespace TfCrnn.Tests;

public sealed class RepositoryTextTests
{
    /// <summary>Comments, documents and reports cite the paper or a document in the repository, which every reader has.</summary>
    [Fact]
    public void No_text_cites_a_specification_outside_the_repository()
    {
        var outside = string.Concat("SPEC", ".md");
        var roots = new[] { "src", "tests", "bench", "docs" }.Select(d => Path.Combine(TestPaths.RepositoryRoot, d));
        var files = roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetExtension(f) is ".cs" or ".md" or ".py" or ".sh" or ".csv")
            .Append(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        Assert.Empty(files.Where(f => File.ReadAllText(f).Contains(outside, StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(TestPaths.RepositoryRoot, f)));
    }
}
