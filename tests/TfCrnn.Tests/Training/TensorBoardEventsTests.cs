using System.Text;
using TfCrnn.Tests.Support;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Training;

/// <summary>The run folder's TensorBoard files, written by TorchSharp's SummaryWriter, read back as TensorBoard reads them.</summary>
public class TensorBoardEventsTests
{
    [Fact]
    public void TheReadersCrc32CMatchesTheStandardCheckValue() =>
        Assert.Equal(0xE3069283u, TensorBoardEventReader.Crc32C(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void SummaryWriterScalarsReadBackWithValidCrcsTagsStepsAndTimes()
    {
        using var dir = new TempDirectory();
        var writer = utils.tensorboard.SummaryWriter(dir.Path, createRunName: false);
        writer.add_scalar("loss/train", 2.5f, 1);
        writer.add_scalar("accuracy/valid", 0.125f, 1);
        writer.add_scalar("loss/train", 1.25f, 2);

        var file = Assert.Single(Directory.GetFiles(dir.Path));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
        var scalars = TensorBoardEventReader.ReadScalars(file);
        Assert.Equal(
            [("loss/train", 1L, 2.5f), ("accuracy/valid", 1L, 0.125f), ("loss/train", 2L, 1.25f)],
            scalars.Select(s => (s.Tag, s.Step, s.Value)));
        Assert.All(scalars, s => Assert.InRange(s.WallTime, 1.7e9, 4e9));
    }

    [Fact]
    public void ACorruptedByteFailsTheCrc()
    {
        using var dir = new TempDirectory();
        utils.tensorboard.SummaryWriter(dir.Path, createRunName: false).add_scalar("x", 1f, 7);
        var path = Assert.Single(Directory.GetFiles(dir.Path));
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<TfCrnnException>(() => TensorBoardEventReader.ReadScalars(path));
        Assert.Contains("CRC mismatch", error.Message);
    }
}
