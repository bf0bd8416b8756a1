using System.Buffers.Binary;

namespace TfCrnn.Tests.Analysis;

internal static class ReportAssert
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A PNG of at least the given size (width and height from its IHDR chunk).</summary>
    public static void IsPng(string path, int minWidth = 400, int minHeight = 300)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)) >= minWidth, $"{path} narrower than {minWidth}");
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)) >= minHeight, $"{path} lower than {minHeight}");
    }
}
