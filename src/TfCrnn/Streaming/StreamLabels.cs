using System.Globalization;

namespace TfCrnn.Streaming;

/// <summary>A keyword said in a stream: the bounds of its speech, in seconds from the stream's start.</summary>
public sealed record StreamLabel(double Start, double End, string Word);

/// <summary><c>labels.csv</c> of a stream: the header <c>start_seconds,end_seconds,word</c>, then one keyword per line.</summary>
public static class StreamLabels
{
    /// <summary>The first line of a labels file.</summary>
    public const string Header = "start_seconds,end_seconds,word";

    /// <summary>Reads and checks a labels file; every problem names the file and the line.</summary>
    public static IReadOnlyList<StreamLabel> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TfCrnnException($"{path}: cannot read the labels ({(e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message)})");
        }
        if (lines.Length == 0 || lines[0].Trim().TrimStart('\uFEFF') != Header)
            throw new TfCrnnException($"{path}: expected the header '{Header}' on line 1");
        var labels = new List<StreamLabel>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var fields = lines[i].Split(',');
            if (fields.Length != 3
                || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
                || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
                || !double.IsFinite(start) || !double.IsFinite(end) || start < 0 || end < start || fields[2].Trim().Length == 0)
                throw new TfCrnnException($"{path}: line {i + 1}: expected start_seconds,end_seconds,word with 0 ≤ start ≤ end, got '{lines[i]}'");
            labels.Add(new StreamLabel(start, end, fields[2].Trim()));
        }
        return labels;
    }
}
