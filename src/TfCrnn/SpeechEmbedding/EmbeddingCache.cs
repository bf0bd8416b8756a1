using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Runtime.SpeechEmbedding;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.SpeechEmbedding;

/// <summary>
/// The speech embeddings of one-second waveforms, addressed by content: an entry's key is the SHA-256 (its first 128
/// bits) of the 16,000 samples the encoder embedded (<see cref="Key"/>), so every run, on any dataset, that hands the
/// encoder the same samples (the same clip, or the same augmented copy of it) reuses the entry: runs over datasets that
/// share clips (the folds of a cross-validation) embed each clip and copy once. The front end is the folder: one per
/// pair of encoder files (their SHA-256), geometry and format under the root (<see cref="DefaultRoot"/> or
/// <c>--embedding-cache DIR</c>).
/// </summary>
/// <remarks>
/// Entries are added in memory (<see cref="Add"/>) and written in segment files of up to <see cref="SegmentEntries"/>
/// entries, each written whole to a temp file and renamed into place (<see cref="AtomicFile"/>): a process killed at any
/// moment loses its unwritten entries and leaves no file that is read (its temp file is swept later), never a half-written
/// entry. Segments are memory-mapped read-only and never changed; processes side by side each write their own and see
/// the others' on <see cref="Refresh"/>. Thread-safe.
/// </remarks>
internal sealed unsafe class EmbeddingCache : IDisposable
{
    /// <summary>Floats of one entry: (16, 96), row-major.</summary>
    public const int Values = ClipSteps * Dimensions;

    /// <summary>Entries per segment file, at most (12 MiB).</summary>
    public const int SegmentEntries = 2048;

    // Bumped whenever what an entry holds or the file layout changes, so that old folders are never read.
    private const int FormatVersion = 1;
    private const string SegmentPrefix = "segment-";
    private const string SegmentExtension = ".emb";
    private const int HeaderBytes = 32;
    private static readonly byte[] Magic = "TFCEMB01"u8.ToArray();
    private static readonly TimeSpan CommitInterval = TimeSpan.FromSeconds(60);

    private readonly Lock gate = new();
    private readonly Dictionary<UInt128, (MappedFile Segment, long Offset)> stored = [];
    private readonly Dictionary<string, MappedFile> segments = new(StringComparer.Ordinal);
    private readonly Dictionary<UInt128, float[]> pending = [];
    private DateTime lastCommit = DateTime.UtcNow;

    private EmbeddingCache(string directory) => Directory = directory;

    /// <summary><c>$XDG_CACHE_HOME/tfcrnn/embeddings</c> or <c>~/.cache/tfcrnn/embeddings</c>.</summary>
    public static string DefaultRoot => UserCache.Folder("embeddings");

    /// <summary>The front end's folder under the root.</summary>
    public string Directory { get; }

    /// <summary>Entries readable now (written and pending).</summary>
    public int Count
    {
        get
        {
            lock (gate) return stored.Count + pending.Count;
        }
    }

    /// <summary>
    /// The cache of the encoder in <paramref name="encoderDirectory"/> under <paramref name="root"/> (null:
    /// <see cref="DefaultRoot"/>), with every segment written so far mapped.
    /// </summary>
    /// <exception cref="TfCrnnException">An encoder file is missing.</exception>
    public static EmbeddingCache Open(string? root, string encoderDirectory)
    {
        var folder = Path.Combine(Path.GetFullPath(root ?? DefaultRoot), FrontEndIdentity(encoderDirectory));
        System.IO.Directory.CreateDirectory(folder);
        var cache = new EmbeddingCache(folder);
        cache.Refresh();
        CacheFolder.DeleteStaleFiles(folder, SegmentPrefix + "*" + SegmentExtension, cache.SegmentNames(), DateTime.UtcNow);
        return cache;
    }

    /// <summary>The key of <paramref name="samples"/>: the first 128 bits of the SHA-256 of their float32 bytes.</summary>
    public static UInt128 Key(ReadOnlySpan<float> samples)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(samples), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>Whether an entry for <paramref name="key"/> is readable.</summary>
    public bool Contains(UInt128 key)
    {
        lock (gate) return stored.ContainsKey(key) || pending.ContainsKey(key);
    }

    /// <summary>Copies the entry of <paramref name="key"/> into <paramref name="destination"/> (16 × 96 floats); false when there is none.</summary>
    public bool TryCopy(UInt128 key, Span<float> destination)
    {
        lock (gate)
        {
            if (stored.TryGetValue(key, out var entry))
            {
                new ReadOnlySpan<float>(entry.Segment.Start + entry.Offset, Values).CopyTo(destination);
                return true;
            }
            if (!pending.TryGetValue(key, out var values)) return false;
            values.CopyTo(destination);
            return true;
        }
    }

    /// <summary>
    /// The written entry of <paramref name="key"/>, read in place (valid until the cache is disposed); call
    /// <see cref="Commit"/> after adding entries to read them so.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No written entry has that key.</exception>
    public ReadOnlySpan<float> Stored(UInt128 key)
    {
        lock (gate)
        {
            var (segment, offset) = stored[key];
            return new ReadOnlySpan<float>(segment.Start + offset, Values);
        }
    }

    /// <summary>Adds the embeddings (16 × 96) of the samples whose key is <paramref name="key"/>; written once enough are pending.</summary>
    public void Add(UInt128 key, float[] embeddings)
    {
        if (embeddings.Length != Values) throw new ArgumentException($"expected {Values} values, got {embeddings.Length}", nameof(embeddings));
        lock (gate)
        {
            if (stored.ContainsKey(key)) return;
            pending[key] = embeddings;
            if (pending.Count >= SegmentEntries || DateTime.UtcNow - lastCommit > CommitInterval)
                CommitLocked();
        }
    }

    /// <summary>Writes the pending entries to a new segment and maps it.</summary>
    public void Commit()
    {
        lock (gate) CommitLocked();
    }

    /// <summary>Maps the segments written since the last look, by this process or any other.</summary>
    public void Refresh()
    {
        lock (gate)
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(Directory, SegmentPrefix + "*" + SegmentExtension))
                if (!segments.ContainsKey(Path.GetFileName(path)))
                    TryMap(path);
        }
    }

    /// <summary>Writes what is pending, then unmaps every segment.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            CommitLocked();
            foreach (var segment in segments.Values) segment.Dispose();
            segments.Clear();
            stored.Clear();
        }
    }

    private HashSet<string> SegmentNames()
    {
        lock (gate) return new HashSet<string>(segments.Keys, StringComparer.Ordinal);
    }

    private void CommitLocked()
    {
        lastCommit = DateTime.UtcNow;
        if (pending.Count == 0) return;
        var entries = pending.ToArray();
        var name = $"{SegmentPrefix}{CacheFolder.BuildName()}{SegmentExtension}";
        var path = Path.Combine(Directory, name);
        AtomicFile.Write(path, output =>
        {
            var header = new byte[HeaderBytes];
            Magic.CopyTo(header, 0);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), entries.Length);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), ClipSteps);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), Dimensions);
            output.Write(header);
            Span<byte> key = stackalloc byte[16];
            foreach (var (k, _) in entries)
            {
                BinaryPrimitives.WriteUInt128LittleEndian(key, k);
                output.Write(key);
            }
            foreach (var (_, values) in entries)
                output.Write(MemoryMarshal.AsBytes(values.AsSpan()));
        });
        pending.Clear();
        if (!TryMap(path))
            throw new TfCrnnException($"{path}: the embedding segment just written cannot be read back");
    }

    /// <summary>Maps a segment and indexes its entries; false (and nothing mapped) when it is not a whole segment of this format.</summary>
    private bool TryMap(string path)
    {
        MappedFile map;
        try
        {
            var length = new FileInfo(path).Length;
            if (length < HeaderBytes) return false;
            map = new MappedFile(path);
            var header = new ReadOnlySpan<byte>(map.Start, HeaderBytes);
            var count = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            if (!header[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[12..]) != ClipSteps
                || BinaryPrimitives.ReadInt32LittleEndian(header[16..]) != Dimensions || count < 0
                || length != HeaderBytes + count * (16L + Values * sizeof(float)))
            {
                map.Dispose();
                return false;
            }
            var dataStart = HeaderBytes + count * 16L;
            for (var i = 0; i < count; i++)
            {
                var key = BinaryPrimitives.ReadUInt128LittleEndian(new ReadOnlySpan<byte>(map.Start + HeaderBytes + i * 16L, 16));
                stored.TryAdd(key, (map, dataStart + (long)i * Values * sizeof(float)));
                pending.Remove(key);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        segments[Path.GetFileName(path)] = map;
        return true;
    }

    /// <summary>
    /// The folder name of a front end: a hash of both encoder files' SHA-256, the geometry and the format, so that
    /// entries of another encoder, geometry or layout are never read.
    /// </summary>
    private static string FrontEndIdentity(string encoderDirectory)
    {
        var text = new StringBuilder($"tfcrnn-embeddings {FormatVersion}\n");
        foreach (var name in new[] { SpeechEmbeddingEncoder.MelFile, SpeechEmbeddingEncoder.EmbeddingFile })
        {
            var path = Path.Combine(encoderDirectory, name);
            if (!File.Exists(path)) throw new TfCrnnException($"{path}: no such file (the encoder's folder holds {EncoderFiles.FileList})");
            using var stream = File.OpenRead(path);
            text.Append($"{name} {Convert.ToHexStringLower(SHA256.HashData(stream))}\n");
        }
        text.Append($"clip {ClipSamples} padded {PaddedClipSamples} before {ClipPadBefore} block {BlockFrames} window {WindowFrames} " +
                    $"step {StepFrames} dimensions {Dimensions}\n");
        return "front-end-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
