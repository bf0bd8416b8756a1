namespace TfCrnn.Tests.Support;

/// <summary>
/// Golden outputs of the authors' PyTorch implementation at one width: <c>cnn-se</c> and <c>tfcrnn-resse</c> weights
/// (<c>VARIANT.pt</c>), their outputs (<c>VARIANT.io.pt</c>) and <c>short_clip.wav</c>.
/// </summary>
internal sealed record ReferenceFixtures(string Directory, int Width)
{
    /// <summary>Width 16, in the repository (<c>tests/fixtures/reference-narrow</c>): every clone has them.</summary>
    public static ReferenceFixtures Narrow { get; } = new(TestPaths.Fixtures("reference-narrow"), 16);

    /// <summary>
    /// The paper's width 128 (about 19 MB, not in the repository): from <c>shared/fixtures/reference</c> above the
    /// checkout; the calling test is skipped, with the reason, where there is none.
    /// </summary>
    public static ReferenceFixtures FullWidth()
    {
        var directory = TestPaths.SharedFixtures("reference");
        Skip.If(directory is null, "full-width reference fixtures (shared/fixtures/reference) are not above this checkout");
        return new ReferenceFixtures(directory!, 128);
    }

    public string File(string name)
    {
        var path = Path.Combine(Directory, name);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"reference fixture missing: {path}");
        return path;
    }
}
