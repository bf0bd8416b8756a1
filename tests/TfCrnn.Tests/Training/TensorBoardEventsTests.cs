using System.Text;
using TfCrnn.Tests.Support;
using TfCrnn.Training;

namespace TfCrnn.Tests.Training;

public class TensorBoardEventsTests
{
    [Fact]
    public void Crc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, TensorBoardEvents.Crc32C(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void WrittenScalarsReadBackWithValidCrcs()
    {
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardWriter(dir.Path))
        {
            writer.AddScalars(1, [("loss/train", 2.5f), ("accuracy/valid", 0.125f)]);
            writer.AddScalars(2, [("loss/train", 1.25f)]);
            path = writer.Path;
        }
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(path));
        var scalars = TensorBoardEvents.ReadScalars(path);
        Assert.Equal(
            [("loss/train", 1L, 2.5f), ("accuracy/valid", 1L, 0.125f), ("loss/train", 2L, 1.25f)],
            scalars.Select(s => (s.Tag, s.Step, s.Value)));
        Assert.All(scalars, s => Assert.InRange(s.WallTime, 1.7e9, 4e9));
    }

    [Fact]
    public void TheFirstRecordIsTheFileVersionEvent()
    {
        using var dir = new TempDirectory();
        using var writer = new TensorBoardWriter(dir.Path);
        var bytes = File.ReadAllBytes(writer.Path);
        Assert.Contains("brain.Event:2", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void ACorruptedByteFailsTheCrc()
    {
        using var dir = new TempDirectory();
        string path;
        using (var writer = new TensorBoardWriter(dir.Path))
        {
            writer.AddScalars(7, [("x", 1f)]);
            path = writer.Path;
        }
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<TfCrnnException>(() => TensorBoardEvents.ReadScalars(path));
        Assert.Contains("CRC mismatch", error.Message);
        Assert.Contains(path, error.Message);
    }
}
