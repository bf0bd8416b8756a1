using System.Text;

namespace TfCrnn.IO;

/// <summary>RFC 4180 CSV as the toolkit writes and reads it: fields with commas, quotes or line breaks are quoted.</summary>
internal static class CsvText
{
    public static string Field(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : '"' + field.Replace("\"", "\"\"") + '"';

    /// <summary>One line of fields, each quoted where needed, ending in '\n'.</summary>
    public static string Line(IEnumerable<string> fields) => string.Join(',', fields.Select(Field)) + "\n";

    /// <summary>The records of <paramref name="text"/> (quoted fields may hold commas, quotes and line breaks); blank lines are skipped.</summary>
    public static IReadOnlyList<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                EndRecord();
            }
            else field.Append(c);
        }
        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (fields.Count > 1 || fields[0].Length > 0)
                records.Add([.. fields]);
            fields.Clear();
        }
    }
}
