using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Native.ScalarSafety;

/// <summary>One place where a Scalar may be finalized while libtorch reads it (<see cref="ScalarSafetyAnalyzer"/>).</summary>
internal sealed record ScalarFinding(string Rule, string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Rule} {Message}";
}

/// <summary>
/// Compiles a project of the repository (or a snippet) as its build does, with the assemblies the tests run with, and
/// runs <see cref="ScalarSafetyAnalyzer"/> over it. A compile error fails the check rather than hiding calls Roslyn
/// could not bind.
/// </summary>
internal static class ScalarSafetyCheck
{
    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

    /// <summary>The sources of <c>project</c> (a folder of the repository such as <c>src/TfCrnn</c>) and the code its build generates.</summary>
    public static Task<IReadOnlyList<ScalarFinding>> ProjectAsync(string project, string assemblyName, OutputKind kind)
    {
        var folder = Path.Combine(TestPaths.RepositoryRoot, project);
        var sources = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(folder, f)));
        var generated = Path.Combine(folder, "obj", BuildConfiguration, TargetFramework);
        if (Directory.Exists(generated))
            sources = sources.Concat(Directory.EnumerateFiles(generated, "*.cs", SearchOption.AllDirectories));
        var trees = sources.Select(f => Parse(File.ReadAllText(f), Path.GetRelativePath(TestPaths.RepositoryRoot, f))).ToList();
        return AnalyzeAsync(assemblyName, kind, trees);
    }

    /// <summary>A snippet (a library with the SDK's implicit usings).</summary>
    public static Task<IReadOnlyList<ScalarFinding>> SourceAsync(string code) =>
        AnalyzeAsync("ScalarSnippet", OutputKind.DynamicallyLinkedLibrary, [Parse(code, "snippet.cs")]);

    private static async Task<IReadOnlyList<ScalarFinding>> AnalyzeAsync(string assemblyName, OutputKind kind, List<SyntaxTree> trees)
    {
        trees.Add(Parse(ImplicitUsings, "ImplicitUsings.cs"));
        var compilation = CSharpCompilation.Create(assemblyName, trees,
            References.Value.Where(r => Path.GetFileNameWithoutExtension(r.Display) != assemblyName),
            new CSharpCompilationOptions(kind, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        var analyzer = new ScalarSafetyAnalyzer(TemporaryScalarMembers.Shared);
        var diagnostics = await compilation.WithAnalyzers([analyzer]).GetAllDiagnosticsAsync();
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Descriptor.Category != ScalarSafetyAnalyzer.Category).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException($"{assemblyName} does not compile for the scalar check:\n" + string.Join('\n', errors.Take(20)));
        return [.. diagnostics.Where(d => d.Descriptor.Category == ScalarSafetyAnalyzer.Category)
            .Select(d => (Diagnostic: d, Span: d.Location.GetLineSpan()))
            .Select(d => new ScalarFinding(d.Diagnostic.Id, d.Span.Path, d.Span.StartLinePosition.Line + 1, d.Diagnostic.GetMessage()))
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line)];
    }

    // The usings the SDK adds to every project with ImplicitUsings (Microsoft.NET.Sdk), as the build's GlobalUsings.g.cs.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static SyntaxTree Parse(string code, string path) =>
        CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest), path);

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The build generates global usings (added here) and assembly attributes; what else it generates (the ONNX schema's classes) is taken from its output.</summary>
    private static string BuildConfiguration =>
        typeof(ScalarSafetyCheck).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static string TargetFramework => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    /// <summary>The framework's assemblies and those beside the tests (TorchSharp, the project's packages and projects).</summary>
    private static IReadOnlyList<MetadataReference> LoadReferences()
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var beside = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in framework.Concat(beside))
            if (IsManaged(path)) byName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        byName.Remove("TfCrnn.Tests");
        return [.. byName.Values.Select(p => MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
