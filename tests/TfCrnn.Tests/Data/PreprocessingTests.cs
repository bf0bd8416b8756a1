using TfCrnn.Data;
using TfCrnn.Tests.Support;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Data;

public class PreprocessingTests
{
    [Fact]
    public void ShortClipMatchesTheReferenceLoader()
    {
        using var folder = new TempDirectory("reference");
        Directory.CreateDirectory(folder.Combine("forward"));
        File.Copy(ReferenceFixtures.Narrow.File("short_clip.wav"), folder.Combine("forward", "0a7c2a8d_nohash_0.wav"));
        var io = PyTorchUnpickler.UnpickleStateDict(ReferenceFixtures.Narrow.File("cnn-se.io.pt"));
        using var reference = (Tensor)io["preprocessed_short_clip"]!;
        var expected = reference.reshape(-1).data<float>().ToArray();

        using var data = SpeechCommandsDataset.Open(folder.Path, new DatasetOptions { UseCache = false });
        var clip = Assert.Single(data.AllClips);
        Assert.Equal(12345, data.SampleCount(clip));
        var actual = data.ReadPreprocessed(clip);

        Assert.Equal(16000, expected.Length);
        var difference = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.True(difference < 1e-6, $"max abs difference {difference}");
        foreach (IDisposable tensor in io.Values)
            tensor.Dispose();
    }

    [Fact]
    public void PadsCentredAndScales()
    {
        // p = 16000 - 5 = 15995: floor(p/2) = 7997 zeros left, 7998 right.
        var prepared = Preprocessing.Prepare([0.086f, 0.172f, 0f, -0.086f, 0.0086f]);

        Assert.Equal(16000, prepared.Length);
        Assert.All(prepared[..7997], s => Assert.Equal(0f, s));
        Assert.All(prepared[8002..], s => Assert.Equal(0f, s));
        Assert.Equal([1f, 2f, 0f, -1f, 0.1f], prepared[7997..8002].Select(s => MathF.Round(s, 5)));
    }

    [Fact]
    public void CutsLongInputAroundItsCentre()
    {
        var samples = Enumerable.Range(0, 16010).Select(i => (float)i).ToArray();
        var prepared = Preprocessing.Prepare(samples);
        Assert.Equal(5f * Preprocessing.InputScale, prepared[0]);
        Assert.Equal(16004f * Preprocessing.InputScale, prepared[^1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(80)]
    [InlineData(159)]
    public void ShiftStaysWithin80SamplesAndZeroFills(int offset)
    {
        var clip = Enumerable.Range(1, 16000).Select(i => (float)i).ToArray();
        var shifted = new float[16000];
        shifted.AsSpan().Fill(-1);

        Preprocessing.Shift(clip, shifted, offset);

        Assert.All(shifted[..80], s => Assert.Equal(0f, s));
        Assert.All(shifted[15920..], s => Assert.Equal(0f, s));
        // Sample j of the output is clip[j - 80 + offset]: a move of 80 - offset, within ±80.
        for (var j = 80; j < 15920; j++)
            Assert.Equal(clip[j - 80 + offset], shifted[j]);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(160)]
    public void ShiftRejectsOffsetsOutside0To159(int offset) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Preprocessing.Shift(new float[16000], new float[16000], offset));
}
