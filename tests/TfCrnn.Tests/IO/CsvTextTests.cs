using TfCrnn.IO;

namespace TfCrnn.Tests.IO;

public sealed class CsvTextTests
{
    [Fact]
    public void FieldsWithCommasQuotesAndLineBreaksReadBackAsWritten()
    {
        string[][] records = [["clip", "original_path"], ["a/b.wav", "smart mirror/1, take \"two\".wav"], ["", "line\nbreak"]];

        var text = string.Concat(records.Select(CsvText.Line));

        Assert.Equal("clip,original_path\na/b.wav,\"smart mirror/1, take \"\"two\"\".wav\"\n,\"line\nbreak\"\n", text);
        Assert.Equal(records, CsvText.Parse(text));
        Assert.Equal([["a", "b"], ["c", ""]], CsvText.Parse("a,b\r\n\r\nc,\r\n"));
    }
}
