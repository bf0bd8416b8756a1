using System.Runtime.InteropServices;
using TfCrnn.Audio;
using TfCrnn.IO;

namespace TfCrnn.Data;

/// <summary>
/// Builds a cache: clips arrive in source order into a pending file, then each split is written once, in
/// clip order, as one int16 file (temp + rename), and the manifest last.
/// </summary>
internal sealed class ClipCacheWriter : IDisposable
{
    private readonly string directory;
    private readonly string pendingPath;
    private readonly DateTime started = DateTime.UtcNow;
    private readonly FileStream pending;
    private readonly Dictionary<string, (long Offset, int Length)> written = new(StringComparer.Ordinal);
    private byte[] buffer = [];
    private long samplesWritten;

    public ClipCacheWriter(string directory)
    {
        this.directory = directory;
        Directory.CreateDirectory(directory);
        pendingPath = Path.Combine(directory, $"{CacheFolder.PendingPrefix}{Guid.NewGuid():N}.tmp");
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
        var build = CacheFolder.BuildName();
        var splits = Enum.GetValues<Split>().ToDictionary(split => split, split => WriteFile(
            $"{split.ToString().ToLowerInvariant()}-{build}.i16", clips.Where(c => c.Split == split).Select(c => c.RelativePath)));
        var manifest = new CacheManifest(fingerprint, splits, WriteFile($"noise-{build}.i16", noisePaths), warnings);
        manifest.Save(directory);
        CacheFolder.DeleteStaleFiles(directory, "*.i16",
            manifest.Splits.Values.Append(manifest.BackgroundNoise).Select(s => s.File).ToHashSet(StringComparer.Ordinal), started);
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

    public void Dispose()
    {
        try
        {
            // Flushes what is left of a build that failed (the disk full, say); its samples are discarded anyway.
            pending.Dispose();
        }
        catch (IOException)
        {
        }
        CacheFolder.TryDelete(pendingPath);
    }
}
