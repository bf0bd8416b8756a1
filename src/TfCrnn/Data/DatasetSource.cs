using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using TfCrnn.Audio;
using TfCrnn.Progress;

namespace TfCrnn.Data;

/// <summary>
/// What one pass over a dataset source finds: clip paths, background-noise recording paths and the split lists'
/// text (null when absent).
/// </summary>
internal sealed record SourceScan(IReadOnlyList<string> ClipPaths, IReadOnlyList<string> NoisePaths, string? ValidationList,
    string? TestingList, IReadOnlyList<string> Warnings);

/// <summary>
/// Receives each decoded clip of a scan (first channel, at most 16,000 samples) and each background-noise recording
/// (mono, 16 kHz, whole).
/// </summary>
internal delegate void ClipDecoded(string relativePath, ReadOnlySpan<float> samples);

/// <summary>A Speech Commands dataset as found on disk: an extracted folder or the official .tar.gz.</summary>
internal abstract class DatasetSource(string location)
{
    public const string ValidationListName = "validation_list.txt";
    public const string TestingListName = "testing_list.txt";
    public const string BackgroundNoiseFolder = "_background_noise_";
    // Bumped whenever the cache's content or layout changes, so that old caches are rebuilt.
    // 2: every word folder is kept, and the background-noise recordings are cached.
    private const int FormatVersion = 2;

    /// <summary>The folder or archive, as a full path.</summary>
    public string Location { get; } = location;

    /// <summary>Changes whenever the clips or lists may have changed.</summary>
    public string Fingerprint(bool skipBadClips) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"tfcrnn-cache {FormatVersion} skip-bad-clips={skipBadClips}\n{FingerprintText()}")));

    public abstract string DefaultCacheDirectory { get; }

    /// <summary>Whether single clips can be read on demand (a folder), so that no cache is needed.</summary>
    public abstract bool HasRandomAccess { get; }

    /// <summary>
    /// One pass over the source; with <paramref name="decoded"/> every clip is decoded and handed over, and
    /// with <paramref name="skipBadClips"/> a clip that cannot be used is left out with a warning instead of failing.
    /// </summary>
    public abstract SourceScan Scan(ClipDecoded? decoded, bool skipBadClips, IProgress<TaskProgress>? progress, CancellationToken cancellationToken);

    protected abstract string FingerprintText();

    public static DatasetSource Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            return new FolderSource(full);
        if (!File.Exists(full))
            throw new DatasetException($"{path}: dataset not found (expected a folder or a speech_commands_v0.0x.tar.gz archive)");
        if (full.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
            return new ArchiveSource(full);
        throw new DatasetException($"{path}: not a dataset (expected a folder or a .tar.gz archive)");
    }

    /// <summary>Training data as the authors' loader reads it (docs/reference-implementation.md, "Data"): 16 kHz only, first channel, at most 16,000 samples.</summary>
    public static float[] TrainingSamples(WavAudio audio, string name)
    {
        if (audio.SampleRate != SpeechCommandsDataset.SampleRate)
            throw new DatasetException($"{name}: sample rate {audio.SampleRate} Hz; Speech Commands clips must be {SpeechCommandsDataset.SampleRate} Hz");
        var first = audio.FirstChannel();
        return first.Length <= Preprocessing.ClipSamples ? first : first[..Preprocessing.ClipSamples];
    }

    /// <summary>
    /// A background-noise recording as the dataset offers it: mixed down to mono and resampled to 16 kHz (it is never
    /// a training clip itself, so its format is not held to the clips' rule), whole.
    /// </summary>
    public static float[] NoiseSamples(WavAudio audio) =>
        Resampler.Resample(audio.MixDown(), audio.SampleRate, SpeechCommandsDataset.SampleRate);

    /// <summary>Decodes one clip (or, under <see cref="BackgroundNoiseFolder"/>, one noise recording) and hands it over; false when it was skipped (and a warning added).</summary>
    protected static bool TryDecode(Func<WavAudio> read, string relativePath, string nameForErrors, ClipDecoded decoded,
        bool skipBadClips, List<string> warnings)
    {
        try
        {
            var audio = read();
            decoded(relativePath, IsNoise(relativePath) ? NoiseSamples(audio) : TrainingSamples(audio, nameForErrors));
            return true;
        }
        catch (TfCrnnException e) when (skipBadClips)
        {
            warnings.Add($"{e.Message}; skipped");
            return false;
        }
    }

    /// <summary>The label folder of <c>&lt;word&gt;/&lt;name&gt;.wav</c>, or null for anything else (root files, deeper files).</summary>
    protected static string? ClipFolder(string relativePath)
    {
        var slash = relativePath.IndexOf('/');
        return slash > 0 && slash == relativePath.LastIndexOf('/')
            && relativePath.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)
            ? relativePath[..slash]
            : null;
    }

    /// <summary>Whether <c>folder/name.wav</c> lies in <see cref="BackgroundNoiseFolder"/>.</summary>
    public static bool IsNoise(string relativePath) => relativePath.StartsWith(BackgroundNoiseFolder + "/", StringComparison.Ordinal);

    /// <summary>Hidden folders (the cache among them) hold no clips.</summary>
    protected static bool IsIgnoredFolder(string folder) => folder.StartsWith('.');
}

internal sealed class FolderSource(string location) : DatasetSource(location)
{
    private static readonly EnumerationOptions WavFiles = new() { MatchCasing = MatchCasing.CaseInsensitive };

    public override string DefaultCacheDirectory => Path.Combine(Location, ".tfcrnn-cache");

    public override bool HasRandomAccess => true;

    public override SourceScan Scan(ClipDecoded? decoded, bool skipBadClips, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        var clips = new List<string>();
        var noise = new List<string>();
        var warnings = new List<string>();
        foreach (var (folder, files) in Folders())
            (folder == BackgroundNoiseFolder ? noise : clips).AddRange(files.Select(f => $"{folder}/{f.Name}"));

        if (decoded is not null)
        {
            var total = clips.Count + noise.Count;
            var done = 0;
            bool Drop(string path)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var file = FullPath(path);
                var kept = TryDecode(() => WavFile.Read(file), path, file, decoded, skipBadClips, warnings);
                progress?.Report(new TaskProgress("reading clips", ++done, total));
                return !kept;
            }
            clips.RemoveAll(Drop);
            noise.RemoveAll(Drop);
        }
        return new SourceScan(clips, noise, ReadList(ValidationListName), ReadList(TestingListName), warnings);
    }

    public string FullPath(string relativePath) => Path.Combine(Location, relativePath);

    protected override string FingerprintText()
    {
        var text = new StringBuilder("folder\n");
        foreach (var (folder, files) in Folders())
            foreach (var file in files)
                text.Append($"{folder}/{file.Name}\t{file.Length}\t{file.LastWriteTimeUtc.Ticks}\n");
        foreach (var list in new[] { ValidationListName, TestingListName }.Select(n => new FileInfo(FullPath(n))))
            text.Append(list.Exists ? $"{list.Name}\t{list.Length}\t{list.LastWriteTimeUtc.Ticks}\n" : $"{list.Name}\tabsent\n");
        return text.ToString();
    }

    /// <summary>Every word folder and the noise folder (not hidden ones) with their WAV files, in ordinal order.</summary>
    private IEnumerable<(string Folder, List<FileInfo> Files)> Folders() =>
        new DirectoryInfo(Location).EnumerateDirectories()
            .Where(d => !IsIgnoredFolder(d.Name))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => (d.Name, d.EnumerateFiles("*.wav", WavFiles).OrderBy(f => f.Name, StringComparer.Ordinal).ToList()));

    private string? ReadList(string name)
    {
        var file = FullPath(name);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }
}

/// <summary>The official archive, read in one streaming pass (no extraction).</summary>
internal sealed class ArchiveSource(string location) : DatasetSource(location)
{
    // Split lists are a few hundred KB; anything far larger is not a split list.
    private const long MaxListBytes = 64L << 20;

    public override string DefaultCacheDirectory =>
        Path.Combine(Path.GetDirectoryName(Location)!, ".tfcrnn-cache", Path.GetFileName(Location));

    public override bool HasRandomAccess => false;

    public override SourceScan Scan(ClipDecoded? decoded, bool skipBadClips, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var clips = new List<string>();
        var noise = new List<string>();
        var warnings = new List<string>();
        string? validation = null, testing = null;
        try
        {
            using var file = File.OpenRead(Location);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                    continue;
                var name = entry.Name.Replace('\\', '/');
                while (name.StartsWith("./", StringComparison.Ordinal))
                    name = name[2..];
                if (name is ValidationListName or TestingListName)
                {
                    var text = ReadText(entry, name);
                    if (name == ValidationListName) validation = text; else testing = text;
                    continue;
                }
                if (ClipFolder(name) is not { } folder || IsIgnoredFolder(folder))
                    continue;
                var nameForErrors = $"{Location}:{name}";
                using var data = entry.DataStream ?? Stream.Null;
                if (TryDecode(() => WavFile.Read(data, nameForErrors), name, nameForErrors, decoded, skipBadClips, warnings))
                    (folder == BackgroundNoiseFolder ? noise : clips).Add(name);
                progress?.Report(new TaskProgress("reading clips", clips.Count, 0));
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DatasetException($"{Location}: corrupt or truncated archive ({e.Message})", e);
        }
        clips.Sort(StringComparer.Ordinal);
        noise.Sort(StringComparer.Ordinal);
        return new SourceScan(clips, noise, validation, testing, warnings);
    }

    protected override string FingerprintText()
    {
        var info = new FileInfo(Location);
        return $"archive\n{info.FullName}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n";
    }

    private string ReadText(TarEntry entry, string name)
    {
        if (entry.Length > MaxListBytes)
            throw new DatasetException($"{Location}:{name}: split list of {entry.Length} bytes is implausibly large");
        using var reader = new StreamReader(entry.DataStream ?? Stream.Null, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
