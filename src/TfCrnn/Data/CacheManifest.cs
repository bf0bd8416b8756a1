namespace TfCrnn.Data;

/// <summary>Where a clip's samples lie in its split's cache file (offsets and lengths in samples).</summary>
internal sealed record CachedClip(string Path, long Offset, int Length);

internal sealed record CachedSplit(string File, IReadOnlyList<CachedClip> Clips);

/// <summary>
/// <c>manifest.json</c> of a clip cache folder (<see cref="CacheFolder"/>): written last, so a cache without a current
/// manifest is never read; the split files it names are never overwritten (each build writes new names).
/// </summary>
/// <param name="BackgroundNoise">The background-noise recordings (mono, 16 kHz), in their own file.</param>
internal sealed record CacheManifest(string Fingerprint, IReadOnlyDictionary<Split, CachedSplit> Splits, CachedSplit BackgroundNoise,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The manifest in <paramref name="directory"/>, or null when absent or unreadable (then the cache is rebuilt).</summary>
    public static CacheManifest? TryLoad(string directory) => CacheFolder.TryLoadManifest<CacheManifest>(directory);

    public void Save(string directory) => CacheFolder.SaveManifest(directory, this);
}
