using System.Security.Cryptography;
using System.Text;
using TfCrnn.Audio;
using TfCrnn.IO;
using TfCrnn.Progress;

namespace TfCrnn.Data;

/// <summary>
/// Speech Commands v0.01 / v0.02 (docs/reference-implementation.md, "Data") from a folder or the official .tar.gz: every word folder's clips
/// labelled by their folder (a model's <see cref="Runtime.LabelSet"/> decides which it uses), the
/// <c>_background_noise_</c> recordings, splits from the lists or the hash rule, clips decoded once into a
/// memory-mapped int16 cache. Training data is read as its first channel and must be 16 kHz.
/// </summary>
public sealed class SpeechCommandsDataset : IDisposable
{
    /// <summary>Samples per second of every clip (16 kHz).</summary>
    public const int SampleRate = 16000;

    /// <summary>The folder of background-noise recordings: never clips, <see cref="BackgroundNoise"/>.</summary>
    public const string BackgroundNoiseFolder = DatasetSource.BackgroundNoiseFolder;

    private readonly IReadOnlyList<Clip>[] splits;
    private readonly MappedClipCache? cache;
    private readonly FolderSource? directSource;
    private readonly string? temporaryCache;
    private readonly Lazy<IReadOnlyList<float[]>> backgroundNoise;

    private SpeechCommandsDataset(string source, IReadOnlyList<Clip> clips, IReadOnlyList<string> noisePaths, IReadOnlyList<string> warnings,
        string? cacheDirectory, MappedClipCache? cache, FolderSource? directSource, string? temporaryCache)
    {
        Source = source;
        AllClips = clips;
        Warnings = warnings;
        CacheDirectory = cacheDirectory;
        this.cache = cache;
        this.directSource = directSource;
        this.temporaryCache = temporaryCache;
        splits = Enum.GetValues<Split>().Select(s => (IReadOnlyList<Clip>)clips.Where(c => c.Split == s).ToList()).ToArray();
        backgroundNoise = new Lazy<IReadOnlyList<float[]>>(() => [.. noisePaths.Select(ReadNoise)]);
    }

    /// <summary>The folder or archive, as a full path.</summary>
    public string Source { get; }

    /// <summary>Every clip, ordered by split then path.</summary>
    public IReadOnlyList<Clip> AllClips { get; }

    /// <summary>What was skipped: files named in a split list but absent, and (with <see cref="DatasetOptions.SkipBadClips"/>) unusable clips.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// The recordings of <c>_background_noise_/</c> (ordinal order of their names), each whole, mono, 16 kHz, in [-1, 1];
    /// empty when the dataset has none. Read once, on first use.
    /// </summary>
    public IReadOnlyList<float[]> BackgroundNoise => backgroundNoise.Value;

    /// <summary>The cache folder in use, or null when clips are read from their WAV files.</summary>
    public string? CacheDirectory { get; }

    /// <summary>The temporary cache of an archive opened without a cache, deleted on dispose; null otherwise.</summary>
    internal string? TemporaryCacheDirectory => temporaryCache;

    /// <summary>The clips of one split, in a stable order.</summary>
    public IReadOnlyList<Clip> Clips(Split split) => splits[(int)split];

    /// <summary>Opens a dataset folder or <c>speech_commands_v0.0x.tar.gz</c>, building or reusing its cache.</summary>
    public static SpeechCommandsDataset Open(string path, DatasetOptions? options = null, IProgress<TaskProgress>? progress = null) =>
        Open(path, options, progress, CancellationToken.None);

    /// <summary>Opens a dataset folder or the official <c>.tar.gz</c>, building or reusing its clip cache.</summary>
    /// <exception cref="DatasetException">The path is not a Speech Commands dataset, or a clip cannot be read.</exception>
    public static SpeechCommandsDataset Open(string path, DatasetOptions? options, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new DatasetOptions();
        var source = DatasetSource.Open(path);
        if (!options.UseCache && source is FolderSource folder)
        {
            // Skipping bad clips needs every clip read once; otherwise files are only read when used.
            ClipDecoded? validate = options.SkipBadClips ? static (_, _) => { } : null;
            var scan = folder.Scan(validate, options.SkipBadClips, progress, cancellationToken);
            var (clips, warnings) = AssignSplits(scan, source.Location);
            return new SpeechCommandsDataset(source.Location, clips, scan.NoisePaths, warnings, null, null, folder, null);
        }

        string directory;
        string? temporary = null;
        if (options.UseCache)
            directory = options.CacheDirectory is { } chosen ? Path.GetFullPath(chosen) : WritableCacheDirectory(source);
        else
            directory = temporary = Path.Combine(Path.GetTempPath(), $"tfcrnn-cache-{Guid.NewGuid():N}");
        try
        {
            var fingerprint = source.Fingerprint(options.SkipBadClips);
            if (CacheManifest.TryLoad(directory) is { } manifest && manifest.Fingerprint == fingerprint
                && TryMap(directory, manifest) is { } mapped)
                return FromManifest(source, directory, manifest, mapped, temporary);
            var built = Build(source, directory, fingerprint, options.SkipBadClips, progress, cancellationToken);
            return FromManifest(source, directory, built, new MappedClipCache(directory, built), temporary);
        }
        catch
        {
            if (temporary is not null)
                DeleteFolder(temporary);
            throw;
        }
    }

    /// <summary>The 16,000 model-input samples of a clip: scaled, centred, no augmentation.</summary>
    public float[] ReadPreprocessed(Clip clip) => Preprocessing.Prepare(ReadSamples(clip));

    /// <summary>The clip as stored: first channel in [-1, 1], at most 16,000 samples, not scaled or padded.</summary>
    public float[] ReadSamples(Clip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (cache is null)
        {
            var file = directSource!.FullPath(clip.RelativePath);
            return DatasetSource.TrainingSamples(WavFile.Read(file), file);
        }
        var codes = cache.Samples(clip.RelativePath);
        var samples = new float[codes.Length];
        for (var i = 0; i < codes.Length; i++)
            samples[i] = codes[i] / 32768f;
        return samples;
    }

    private float[] ReadNoise(string relativePath)
    {
        if (cache is null)
            return DatasetSource.NoiseSamples(WavFile.Read(directSource!.FullPath(relativePath)));
        var codes = cache.Samples(relativePath);
        var samples = new float[codes.Length];
        for (var i = 0; i < codes.Length; i++)
            samples[i] = codes[i] / 32768f;
        return samples;
    }

    /// <summary>The clip's length in samples before padding (at most 16,000).</summary>
    public int SampleCount(Clip clip) =>
        cache is null ? ReadSamples(clip).Length : cache.Samples(clip.RelativePath).Length;

    /// <summary>Releases the memory-mapped clip cache.</summary>
    public void Dispose()
    {
        cache?.Dispose();
        if (temporaryCache is not null)
            DeleteFolder(temporaryCache);
    }

    private static SpeechCommandsDataset FromManifest(DatasetSource source, string directory, CacheManifest manifest,
        MappedClipCache mapped, string? temporary)
    {
        var clips = manifest.Splits.OrderBy(p => p.Key)
            .SelectMany(p => p.Value.Clips.Select(c => MakeClip(c.Path, p.Key)))
            .ToList();
        return new SpeechCommandsDataset(source.Location, clips, [.. manifest.BackgroundNoise.Clips.Select(c => c.Path)], manifest.Warnings,
            temporary is null ? directory : null, mapped, null, temporary);
    }

    private static MappedClipCache? TryMap(string directory, CacheManifest manifest)
    {
        try
        {
            return new MappedClipCache(directory, manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static CacheManifest Build(DatasetSource source, string directory, string fingerprint, bool skipBadClips,
        IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        using var writer = new ClipCacheWriter(directory);
        var scan = source.Scan(writer.Add, skipBadClips, progress, cancellationToken);
        var (clips, warnings) = AssignSplits(scan, source.Location);
        return writer.Complete(clips, scan.NoisePaths, fingerprint, warnings);
    }

    /// <summary>Splits from the lists where either is present, else from the hash rule; list entries that are absent are skipped with one warning.</summary>
    private static (List<Clip> Clips, List<string> Warnings) AssignSplits(SourceScan scan, string sourceName)
    {
        if (scan.ClipPaths.Count == 0)
            throw new DatasetException($"{sourceName}: no clips found (expected <word>/*.wav, one folder per word)");
        var warnings = scan.Warnings.ToList();
        var clips = new List<Clip>(scan.ClipPaths.Count);
        if (scan.ValidationList is null && scan.TestingList is null)
        {
            clips.AddRange(scan.ClipPaths.Select(p => MakeClip(p, SplitRule.Of(p))));
        }
        else
        {
            var present = scan.ClipPaths.ToHashSet(StringComparer.Ordinal);
            var listed = new Dictionary<string, Split>(StringComparer.Ordinal);
            var absent = 0;
            foreach (var (text, split) in new[] { (scan.ValidationList, Split.Valid), (scan.TestingList, Split.Test) })
                foreach (var entry in ListEntries(text))
                {
                    if (present.Contains(entry)) listed[entry] = split;
                    else absent++;
                }
            clips.AddRange(scan.ClipPaths.Select(p => MakeClip(p, listed.GetValueOrDefault(p, Split.Train))));
            if (absent > 0)
                warnings.Add($"{sourceName}: {absent} files named in {DatasetSource.ValidationListName} or {DatasetSource.TestingListName} are absent and were skipped");
        }
        clips.Sort((a, b) => a.Split != b.Split ? a.Split.CompareTo(b.Split) : string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return (clips, warnings);
    }

    private static IEnumerable<string> ListEntries(string? text) =>
        (text ?? "").Split('\n')
            .Select(line => line.Trim().Replace('\\', '/'))
            .Select(line => line.StartsWith("./", StringComparison.Ordinal) ? line[2..] : line)
            .Where(line => line.Length > 0);

    private static Clip MakeClip(string relativePath, Split split) =>
        new(relativePath, relativePath[..relativePath.IndexOf('/')], split);

    /// <summary>The default cache folder, or one under ~/.cache when the dataset's own place is read-only.</summary>
    private static string WritableCacheDirectory(DatasetSource source)
    {
        var preferred = source.DefaultCacheDirectory;
        if (CanWrite(preferred))
            return preferred;
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.Location)))[..16];
        return UserCache.Folder("datasets", key);
    }

    private static bool CanWrite(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void DeleteFolder(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
