using System.Text.RegularExpressions;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests;

public sealed class RepositoryTextTests
{
    /// <summary>Comments, documents and reports cite the paper or a document in the repository, which every reader has.</summary>
    [Fact]
    public void NoTextCitesASpecificationOutsideTheRepository()
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

    /// <summary>README's API table lists exactly the public types of the library and the runtime package.</summary>
    [Fact]
    public void TheReadmeListsThePublicApi()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("## The library's public API", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        // The second column of each row: `Name`, `Name<T>` or `Onnx.Name`, with notes in parentheses.
        var listed = section.Split('\n').Where(line => line.StartsWith("| `TfCrnn", StringComparison.Ordinal))
            .SelectMany(line => Regex.Matches(line.Split('|')[2], @"`(?:\w+\.)?(\w+)(<T>)?`").Select(m => m.Groups[1].Value + (m.Groups[2].Success ? "`1" : "")))
            .Order(StringComparer.Ordinal);
        var exported = new[] { typeof(TfCrnn.Training.Trainer).Assembly, typeof(TfCrnn.Runtime.ExportedModel).Assembly }
            .SelectMany(assembly => assembly.GetExportedTypes()).Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(exported, listed);
    }

    /// <summary>
    /// Test names are PascalCase sentences (.editorconfig; dotnet format's naming rule lets an underscore through, so
    /// this test keeps them out).
    /// </summary>
    [Fact]
    public void TestNamesArePascalCaseWithoutUnderscores()
    {
        var tests = typeof(RepositoryTextTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes(inherit: true).Any(a => a is FactAttribute))
            .ToList();

        Assert.True(tests.Count > 300, $"only {tests.Count} tests found");
        Assert.Empty(tests.Where(m => m.Name.Contains('_') || !char.IsUpper(m.Name[0])).Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));
    }
}
