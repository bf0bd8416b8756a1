namespace TfCrnn.Data;

/// <summary>A built cache, memory-mapped: reading a clip is a copy out of the page cache.</summary>
internal sealed unsafe class MappedClipCache : IDisposable
{
    private readonly List<MappedFile> maps = [];
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
                var map = new MappedFile(path);
                maps.Add(map);
                var capacity = map.Bytes / sizeof(short);
                foreach (var clip in split.Clips)
                {
                    if (clip.Offset < 0 || clip.Length < 0 || clip.Offset + clip.Length > capacity)
                        throw new InvalidDataException($"{path}: clip {clip.Path} lies outside the file");
                    clips[clip.Path] = ((nint)(map.Start + clip.Offset * sizeof(short)), clip.Length);
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
        foreach (var map in maps)
            map.Dispose();
        maps.Clear();
    }
}
