using System.Formats.Tar;
using System.IO.Compression;
using TfCrnn.Audio;

namespace TfCrnn.Tests.Support;

/// <summary>
/// A tiny Speech Commands folder: every word spoken by every speaker once. Each clip's samples encode its
/// word and speaker (a constant level) so that reads can be checked against their source.
/// </summary>
internal static class MiniDataset
{
    // Speakers whose hash-rule splits were computed independently with Python's hashlib (see SplitRuleTests).
    public static readonly string[] ValidSpeakers = ["00000000", "9e3779b1"];
    public static readonly string[] TestSpeakers = ["be1e0823", "c6ef3620"];
    public static readonly string[] TrainSpeakers = ["3c6ef362", "daa66d13", "78dde6c4"];
    public static readonly string[] Speakers = [.. TrainSpeakers, .. ValidSpeakers, .. TestSpeakers];

    /// <summary>Writes <c>word/speaker_nohash_0.wav</c> for all words and speakers; returns the relative paths.</summary>
    public static List<string> Create(string root, IEnumerable<string> words, int length = 16000)
    {
        var paths = new List<string>();
        foreach (var word in words)
            foreach (var speaker in Speakers)
            {
                var path = $"{word}/{speaker}_nohash_0.wav";
                WavFile.WritePcm16(Path.Combine(root, path), Samples(path, length), 16000);
                paths.Add(path);
            }
        return paths;
    }

    /// <summary>A ramp whose level identifies the clip: first and last samples differ per path.</summary>
    public static float[] Samples(string relativePath, int length)
    {
        // A hash that is the same in every process (string.GetHashCode is randomised per process).
        var hash = relativePath.Aggregate(17L, (h, c) => (h * 31 + c) % 1_000_003);
        var level = (hash % 1000 + 1) / 4096f;
        return Enumerable.Range(0, length).Select(i => level * (1 + (i % 7)) / 8f).ToArray();
    }

    public static void WriteLists(string root, IEnumerable<string> validation, IEnumerable<string> testing)
    {
        File.WriteAllLines(Path.Combine(root, "validation_list.txt"), validation);
        File.WriteAllLines(Path.Combine(root, "testing_list.txt"), testing);
    }

    /// <summary>Packs a folder as the official archive does: a flat .tar.gz with "./"-prefixed entries.</summary>
    public static void Pack(string folder, string archive)
    {
        using var file = File.Create(archive);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Gnu);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            tar.WriteEntry(path, "./" + Path.GetRelativePath(folder, path).Replace('\\', '/'));
    }
}
