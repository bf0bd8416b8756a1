using System.Text.RegularExpressions;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests;

public sealed class RepositoryTextTests
{
    /// <summary>Comments, documents and reports cite the paper or a document in the repository, which every reader has.</summary>
    [Fact]
    public void No_text_cites_a_specification_outside_the_repository()
    {
        // The file by name, or one of its sections: the word followed by ".md", "section" or "§".
        var outside = new Regex(@"\bSPEC(?:\.md|\s+sections?\b|\s*§)");
        var roots = new[] { "src", "tests", "bench", "docs", "scripts", "web" }.Select(d => Path.Combine(TestPaths.RepositoryRoot, d));
        var files = roots.Where(Directory.Exists)
            .SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") &&
                        !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetExtension(f) is ".cs" or ".md" or ".py" or ".sh" or ".csv" or ".mjs" or ".js" or ".html")
            .Append(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        Assert.Empty(files.Where(f => outside.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(TestPaths.RepositoryRoot, f)));
    }
}
