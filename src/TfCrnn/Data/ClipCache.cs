using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text.Json;
using TfCrnn.Audio;
using TfCrnn.IO;

namespace TfCrnn.Data;

/// <summary>Where a clip's samples lie in its split's cache file (offsets and lengths in samples).</summary>
internal sealed record CachedClip(string Path, long Offset, int Length);

internal sealed record CachedSplit(string File, IReadOnlyList<CachedClip> Clips);

/// <summary>
/// <c>manifest.json</c> of a cache folder. It is written last, so a cache without a current manifest is
/// never read; the split files it names are never overwritten (each build writes new names).
/// </summary>
/// <param name="BackgroundNoise">The background-noise recordings (mono, 16 kHz), in their own file.</param>
internal sealed record CacheManifest(string Fingerprint, IReadOnlyDictionary<Split, CachedSplit> Splits, CachedSplit BackgroundNoise,
    IReadOnlyList<string> Warnings)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The manifest in <paramref name="directory"/>, or null when absent or unreadable (then the cache is rebuilt).</summary>
    public static CacheManifest? TryLoad(string directory)
    {
        try
        {
            using var stream = File.OpenRead(Path.Combine(directory, FileName));
            return JsonSerializer.Deserialize<CacheManifest>(stream, Json);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    public void Save(string directory) =>
        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));
}

/// <summary>
/// Builds a cache: clips arrive in source order into a pending file, then each split is written once, in
/// clip order, as one int16 file (temp + rename), and the manifest last.
/// </summary>
internal sealed class ClipCacheWriter : IDisposable
{
    private readonly string directory;
    private readonly string pendingPath;
    private static readonly TimeSpan ConcurrentBuildMargin = TimeSpan.FromMinutes(1);
    private readonly DateTime started = DateTime.UtcNow;
    private readonly FileStream pending;
    private readonly Dictionary<string, (long Offset, int Length)> written = new(StringComparer.Ordinal);
    private byte[] buffer = [];
    private long samplesWritten;

    public ClipCacheWriter(string directory)
    {
        this.directory = directory;
        Directory.CreateDirectory(directory);
        pendingPath = Path.Combine(directory, $"pending-{Guid.NewGuid():N}.tmp");
        pending = new FileStream(pendingPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    public void Add(string relativePath, ReadOnlySpan<float> samples)
    {
        var bytes = samples.Length * sizeof(short);
        if (buffer.Length < bytes)
            buffer = new byte[Math.Max(bytes, 2 * Preprocessing.ClipSamples)];
        var codes = MemoryMarshal.Cast<byte, short>(buffer.AsSpan(0, bytes));
        for (var i = 0; i < samples.Length; i++)
            codes[i] = WavFile.ToPcm16(samples[i]);
        pending.Write(buffer, 0, bytes);
        written[relativePath] = (samplesWritten, samples.Length);
        samplesWritten += samples.Length;
    }

    /// <summary>Writes the split files, the noise file and the manifest, then removes files of older builds.</summary>
    public CacheManifest Complete(IReadOnlyList<Clip> clips, IReadOnlyList<string> noisePaths, string fingerprint, IReadOnlyList<string> warnings)
    {
        pending.Flush();
        var build = Guid.NewGuid().ToString("N")[..12];
        var splits = Enum.GetValues<Split>().ToDictionary(split => split, split => WriteFile(
            $"{split.ToString().ToLowerInvariant()}-{build}.i16", clips.Where(c => c.Split == split).Select(c => c.RelativePath)));
        var manifest = new CacheManifest(fingerprint, splits, WriteFile($"noise-{build}.i16", noisePaths), warnings);
        manifest.Save(directory);
        DeleteStaleFiles(manifest);
        return manifest;
    }

    /// <summary>One int16 file holding the given entries of the pending file, in order.</summary>
    private CachedSplit WriteFile(string file, IEnumerable<string> paths)
    {
        var entries = new List<CachedClip>();
        AtomicFile.Write(Path.Combine(directory, file), output =>
        {
            long offset = 0;
            foreach (var path in paths)
            {
                var (source, length) = written[path];
                var bytes = length * sizeof(short);
                if (buffer.Length < bytes)
                    buffer = new byte[bytes];
                RandomAccess.Read(pending.SafeFileHandle, buffer.AsSpan(0, bytes), source * sizeof(short));
                output.Write(buffer, 0, bytes);
                entries.Add(new CachedClip(path, offset, length));
                offset += length;
            }
        });
        return new CachedSplit(file, entries);
    }

    /// <summary>
    /// Removes split files of earlier builds. Files written less than a minute before this build started may
    /// belong to a build running beside this one that has not mapped them yet (two runs opening a small dataset
    /// at once finish within milliseconds, below the file system's timestamp resolution) and are left for a
    /// later build to remove; temp files are only removed when a crash has clearly left them behind.
    /// </summary>
    private void DeleteStaleFiles(CacheManifest manifest)
    {
        var current = manifest.Splits.Values.Append(manifest.BackgroundNoise).Select(s => s.File).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.i16"))
            if (!current.Contains(Path.GetFileName(file)) && File.GetLastWriteTimeUtc(file) < started - ConcurrentBuildMargin)
                TryDelete(file);
        foreach (var file in Directory.EnumerateFiles(directory, "*.tmp"))
            if (File.GetLastWriteTimeUtc(file) < started - TimeSpan.FromDays(1))
                TryDelete(file);
    }

    public void Dispose()
    {
        pending.Dispose();
        TryDelete(pendingPath);
    }

    private static void TryDelete(string file)
    {
        try { File.Delete(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

/// <summary>A built cache, memory-mapped: reading a clip is a copy out of the page cache.</summary>
internal sealed unsafe class MappedClipCache : IDisposable
{
    private readonly List<(MemoryMappedFile File, MemoryMappedViewAccessor View)> maps = [];
    private readonly Dictionary<string, (nint Start, int Length)> clips = new(StringComparer.Ordinal);

    public MappedClipCache(string directory, CacheManifest manifest)
    {
        try
        {
            foreach (var split in manifest.Splits.Values.Append(manifest.BackgroundNoise))
            {
                var path = Path.Combine(directory, split.File);
                if (split.Clips.Count == 0)
                    continue;
                var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
                var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
                byte* start = null;
                view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
                maps.Add((file, view));
                start += view.PointerOffset;
                var capacity = view.Capacity / sizeof(short);
                foreach (var clip in split.Clips)
                {
                    if (clip.Offset < 0 || clip.Length < 0 || clip.Offset + clip.Length > capacity)
                        throw new InvalidDataException($"{path}: clip {clip.Path} lies outside the file");
                    clips[clip.Path] = ((nint)(start + clip.Offset * sizeof(short)), clip.Length);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ReadOnlySpan<short> Samples(string relativePath)
    {
        if (!clips.TryGetValue(relativePath, out var location))
            throw new ArgumentException($"{relativePath} is not a clip of this dataset", nameof(relativePath));
        var (start, length) = location;
        return new ReadOnlySpan<short>((void*)start, length);
    }

    public void Dispose()
    {
        foreach (var (file, view) in maps)
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            file.Dispose();
        }
        maps.Clear();
    }
}
