using TfCrnn.IO;

namespace TfCrnn.RealSpeech;

/// <summary>Where one imported clip came from: a row of <see cref="ProvenanceFile"/>.</summary>
/// <param name="Clip">The clip inside the dataset folder, <c>word/speaker_nohash_n.wav</c>.</param>
/// <param name="Source">The source's name, e.g. <c>Jakobovski/free-spoken-digit-dataset</c>.</param>
/// <param name="OriginalPath">The file inside the source it was made from.</param>
/// <param name="Speaker">The speaker as the source names them.</param>
/// <param name="Licence">The source's licence, e.g. <c>CC-BY-SA-4.0</c>.</param>
/// <param name="Commit">The source's revision, where known (else empty).</param>
public sealed record ProvenanceRow(string Clip, string Source, string OriginalPath, string Speaker, string Word,
    string Licence, string Commit, int OriginalSampleRate);

/// <summary>
/// <c>provenance.csv</c> at the root of a dataset folder that <see cref="RealSpeechImport"/> wrote: one row per imported
/// clip, so that every real clip's origin and licence stay known. Imports into the same folder add rows; a clip written
/// again replaces its row.
/// </summary>
public static class ProvenanceFile
{
    /// <summary>The file's name in a dataset folder.</summary>
    public const string Name = "provenance.csv";

    private static readonly string[] Header =
        ["clip", "source", "original_path", "speaker", "word", "licence", "commit", "original_sample_rate"];

    /// <summary>The rows of the folder's provenance file, or none where it has none.</summary>
    public static IReadOnlyList<ProvenanceRow> Read(string datasetDirectory)
    {
        var path = Path.Combine(datasetDirectory, Name);
        if (!File.Exists(path))
            return [];
        var records = CsvText.Parse(File.ReadAllText(path));
        if (records.Count == 0 || !records[0].SequenceEqual(Header))
            throw new Data.DatasetException($"{path}: not a provenance file (expected the header {string.Join(',', Header)})");
        return [.. records.Skip(1).Select((r, i) => r.Length == Header.Length && int.TryParse(r[7], out var rate)
            ? new ProvenanceRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], rate)
            : throw new Data.DatasetException($"{path}: line {i + 2} does not have the {Header.Length} fields of the header"))];
    }

    /// <summary>Adds <paramref name="rows"/> to the folder's file (replacing rows of the same clips), ordered by clip; atomic.</summary>
    public static string Merge(string datasetDirectory, IReadOnlyCollection<ProvenanceRow> rows)
    {
        var replaced = rows.Select(r => r.Clip).ToHashSet(StringComparer.Ordinal);
        var all = Read(datasetDirectory).Where(r => !replaced.Contains(r.Clip)).Concat(rows)
            .OrderBy(r => r.Clip, StringComparer.Ordinal);
        var text = CsvText.Line(Header) + string.Concat(all.Select(r => CsvText.Line(
            [r.Clip, r.Source, r.OriginalPath, r.Speaker, r.Word, r.Licence, r.Commit, r.OriginalSampleRate.ToString(System.Globalization.CultureInfo.InvariantCulture)])));
        var path = Path.Combine(datasetDirectory, Name);
        AtomicFile.WriteAllText(path, text);
        return path;
    }
}
