using System.Formats.Tar;
using System.IO.Compression;
using TfCrnn.Audio;
using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// Every clip of a Speech Commands dataset (folder or .tar.gz) by folder, including folders that are not
/// commands, with its split (from the lists where either is present, else the hash rule), and the
/// <c>_background_noise_</c> recordings; audio is read only for the clips asked for.
/// </summary>
internal sealed class DatasetRecordings
{
    private readonly DatasetSource source;

    private DatasetRecordings(DatasetSource source, IReadOnlyList<(string Path, Split Split)> clips, IReadOnlyList<string> noise)
    {
        this.source = source;
        Clips = clips;
        NoiseFiles = noise;
    }

    /// <summary>Relative paths <c>folder/name.wav</c> with their split, in ordinal order.</summary>
    public IReadOnlyList<(string Path, Split Split)> Clips { get; }

    /// <summary>Relative paths of the recordings in <c>_background_noise_/</c>, in ordinal order.</summary>
    public IReadOnlyList<string> NoiseFiles { get; }

    public string Location => source.Location;

    public static string FolderOf(string relativePath) => relativePath[..relativePath.IndexOf('/')];

    public static DatasetRecordings Open(string path, CancellationToken cancellationToken)
    {
        var source = DatasetSource.Open(path);
        var names = new List<string>();
        string? validation = null, testing = null;
        foreach (var (name, read) in Entries(source, cancellationToken))
        {
            if (name == DatasetSource.ValidationListName) validation = Text(read());
            else if (name == DatasetSource.TestingListName) testing = Text(read());
            else names.Add(name);
        }
        var noise = names.Where(n => n.StartsWith(DatasetSource.BackgroundNoiseFolder + "/", StringComparison.Ordinal)
            && n.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) && n.Count(c => c == '/') == 1).Order(StringComparer.Ordinal).ToList();
        var clipPaths = names.Where(IsClip).Order(StringComparer.Ordinal).ToList();
        if (clipPaths.Count == 0)
            throw new DatasetException($"{path}: no clips found (expected <word>/*.wav)");
        Func<string, Split> splitOf = SplitRule.Of;
        if (validation is not null || testing is not null)
        {
            var listed = new Dictionary<string, Split>(StringComparer.Ordinal);
            foreach (var entry in ListEntries(validation)) listed[entry] = Split.Valid;
            foreach (var entry in ListEntries(testing)) listed[entry] = Split.Test;
            splitOf = p => listed.GetValueOrDefault(p, Split.Train);
        }
        return new DatasetRecordings(source, clipPaths.Select(p => (p, splitOf(p))).ToList(), noise);
    }

    /// <summary>Decodes the named clips (relative paths): one pass over an archive, direct reads from a folder.</summary>
    public Dictionary<string, WavAudio> Read(IReadOnlySet<string> wanted, CancellationToken cancellationToken)
    {
        var audio = new Dictionary<string, WavAudio>(StringComparer.Ordinal);
        if (source is FolderSource folder)
        {
            foreach (var path in wanted.Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                audio[path] = WavFile.Read(folder.FullPath(path));
            }
            return audio;
        }
        foreach (var (name, read) in Entries(source, cancellationToken))
            if (wanted.Contains(name))
                audio[name] = WavFile.Read(read(), $"{Location}:{name}");
        return audio;
    }

    private static bool IsClip(string name)
    {
        var slash = name.IndexOf('/');
        return slash > 0 && slash == name.LastIndexOf('/') && name.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)
            && name[..slash] != DatasetSource.BackgroundNoiseFolder && !name.StartsWith('.');
    }

    /// <summary>Relative file names (two levels at most) with a way to open each, in the source's order.</summary>
    private static IEnumerable<(string Name, Func<Stream> Open)> Entries(DatasetSource source, CancellationToken cancellationToken)
    {
        if (source is FolderSource folder)
        {
            var root = new DirectoryInfo(folder.Location);
            foreach (var file in root.EnumerateFiles())
                yield return (file.Name, file.OpenRead);
            foreach (var directory in root.EnumerateDirectories())
                foreach (var file in directory.EnumerateFiles())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return ($"{directory.Name}/{file.Name}", file.OpenRead);
                }
            yield break;
        }
        using var stream = File.OpenRead(source.Location);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TarEntry? entry;
            try
            {
                entry = tar.GetNextEntry();
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                throw new DatasetException($"{source.Location}: corrupt or truncated archive ({e.Message})", e);
            }
            if (entry is null)
                yield break;
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            var name = entry.Name.Replace('\\', '/');
            while (name.StartsWith("./", StringComparison.Ordinal))
                name = name[2..];
            yield return (name, () => entry.DataStream ?? Stream.Null);
        }
    }

    private static string Text(Stream stream)
    {
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> ListEntries(string? text) =>
        (text ?? "").Split('\n')
            .Select(line => line.Trim().Replace('\\', '/'))
            .Select(line => line.StartsWith("./", StringComparison.Ordinal) ? line[2..] : line)
            .Where(line => line.Length > 0);
}
