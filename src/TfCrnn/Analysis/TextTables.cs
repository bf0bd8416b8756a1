using System.Globalization;
using System.Text;

namespace TfCrnn.Analysis;

/// <summary>The CSV and markdown tables of the analyses: invariant culture, one shape for every file.</summary>
internal static class TextTables
{
    public static string Number(double value, int decimals = 4) =>
        double.IsNaN(value) ? "" : value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A difference, with its sign always shown.</summary>
    public static string Signed(double value, int decimals = 4) =>
        double.IsNaN(value) ? "" : (value >= 0 ? "+" : "") + Number(value, decimals);

    /// <summary>RFC 4180 CSV: fields with commas, quotes or line breaks are quoted.</summary>
    public static string Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
            text.Append(IO.CsvText.Line(row));
        return text.ToString();
    }

    public static string Markdown(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").Append(string.Join(" | ", header)).Append(" |\n");
        text.Append('|').Append(string.Concat(header.Select(_ => " --- |"))).Append('\n');
        foreach (var row in rows)
            text.Append("| ").Append(string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|")))).Append(" |\n");
        return text.ToString();
    }
}
