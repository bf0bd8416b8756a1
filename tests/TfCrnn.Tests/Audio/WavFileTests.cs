using TfCrnn.Audio;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Audio;

public class WavFileTests
{
    private const string Name = "clip.wav";

    // Values every format represents exactly (multiples of 1/128), so each decoder must return them bit for bit.
    private static readonly float[] Left = [0f, 0.5f, -0.5f, 0.25f, -1f, 0.9921875f];
    private static readonly float[] Right = [0.125f, -0.125f, 0.75f, -0.75f, 0.0078125f, 0f];

    private static WavAudio Read(byte[] bytes) => WavFile.Read(new MemoryStream(bytes), Name);

    private static AudioFormatException ReadFails(byte[] bytes) =>
        Assert.Throws<AudioFormatException>(() => Read(bytes));

    public static TheoryData<int, bool, bool, bool> Formats()
    {
        var data = new TheoryData<int, bool, bool, bool>();
        foreach (var bigEndian in new[] { false, true })
            foreach (var extensible in new[] { false, true })
            {
                foreach (var bits in new[] { 8, 16, 24, 32 })
                    data.Add(bits, false, bigEndian, extensible);
                foreach (var bits in new[] { 32, 64 })
                    data.Add(bits, true, bigEndian, extensible);
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ReadsEveryFormatExactly(int bits, bool isFloat, bool bigEndian, bool extensible)
    {
        var bytes = new WavBuilder { BigEndian = bigEndian }
            .Format(isFloat ? (ushort)3 : (ushort)1, 2, 22050, bits, extensible)
            .Data([Left, Right], bits, isFloat)
            .Build();

        var audio = Read(bytes);

        Assert.Equal(22050, audio.SampleRate);
        Assert.Equal(2, audio.ChannelCount);
        Assert.Equal(Left, audio.Channels[0]);
        Assert.Equal(Right, audio.Channels[1]);
    }

    [Fact]
    public void FirstChannelAndMixDown()
    {
        var audio = new WavAudio(16000, [[0.5f, -0.25f], [0.25f, 0.25f]]);
        Assert.Equal([0.5f, -0.25f], audio.FirstChannel());
        Assert.Equal([0.375f, 0f], audio.MixDown());
        Assert.Equal(2, audio.Length);
    }

    [Fact]
    public void ReadsChunksInAnyOrderWithOddChunksAndTrailingJunk()
    {
        var bytes = new WavBuilder { Trailing = "JUNKJUNKJUNK\xff\xff"u8.ToArray() }
            .Chunk("LIST", [1, 2, 3])              // odd size, padded
            .Data([Left], 16)
            .Chunk("cue ", new byte[7])            // odd chunk between data and fmt
            .Format(1, 1, 16000, 16)
            .Build();

        Assert.Equal(Left, Read(bytes).Channels[0]);
    }

    [Fact]
    public void ReadsOddChunksWithoutTheirPadByte()
    {
        var bytes = new WavBuilder { OmitPadBytes = true }
            .Chunk("LIST", [1, 2, 3])
            .Format(1, 1, 16000, 16)
            .Data([Left], 16)
            .Build();

        Assert.Equal(Left, Read(bytes).Channels[0]);
    }

    [Fact]
    public void DataSizeBeyondTheEndKeepsWhatIsPresent()
    {
        // What streaming writers such as `espeak-ng --stdout` produce.
        var bytes = new WavBuilder { RiffSize = 0x7FFFF024 }
            .Format(1, 1, 22050, 16)
            .Data([Left], 16, declaredSize: 0x7FFFF000)
            .Build();

        Assert.Equal(Left, Read(bytes).Channels[0]);
    }

    [Fact]
    public void DropsAPartialLastFrame()
    {
        var bytes = new WavBuilder().Format(1, 2, 16000, 16).Chunk("data", new byte[4 * 3 + 2]).Build();
        Assert.Equal(3, Read(bytes).Length);
    }

    public static TheoryData<string, byte[]> BadFiles() => new()
    {
        { "empty file", [] },
        { "truncated header", "RIFF\x10\0\0\0WA"u8.ToArray() },
        { "not a WAV file", "OggS\0\0\0\0\0\0\0\0\0\0\0\0"u8.ToArray() },
        { "not a WAVE file", "RIFF\x04\0\0\0AVI "u8.ToArray() },
        { "truncated header (no fmt chunk)", new WavBuilder().Build() },
        { "truncated header (fmt chunk claims", new WavBuilder().Format(1, 1, 16000, 16).Build()[..30] },
        { "truncated header (fmt chunk has 12 bytes", new WavBuilder().Chunk("fmt ", new byte[12]).Data([Left], 16).Build() },
        { "no data chunk", new WavBuilder().Format(1, 1, 16000, 16).Build() },
        { "unsupported codec (format tag 0x0055", new WavBuilder().Format(0x55, 1, 16000, 16).Data([Left], 16).Build() },
        { "unsupported codec (format tag 0x0002", new WavBuilder().Format(2, 1, 16000, 16, extensible: true).Data([Left], 16).Build() },
        { "unsupported sample size: 12-bit PCM", new WavBuilder().Format(1, 1, 16000, 12, blockAlign: 2).Data([Left], 16).Build() },
        { "unsupported sample size: 16-bit float", new WavBuilder().Format(3, 1, 16000, 16).Data([Left], 16).Build() },
        { "zero channels", new WavBuilder().Format(1, 0, 16000, 16, blockAlign: 2).Data([Left], 16).Build() },
        { "absurd channel count 65535", new WavBuilder().Format(1, 65535, 16000, 16, blockAlign: 2).Data([Left], 16).Build() },
        { "absurd sample rate 0 Hz", new WavBuilder().Format(1, 1, 0, 16).Data([Left], 16).Build() },
        { "absurd sample rate 4000000000 Hz", new WavBuilder().Format(1, 1, unchecked((int)4_000_000_000u), 16).Data([Left], 16).Build() },
        { "block align 6 does not match", new WavBuilder().Format(1, 1, 16000, 16, blockAlign: 6).Data([Left], 16).Build() },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFilesRaiseOneErrorNamingTheFile(string problem, byte[] bytes)
    {
        var error = ReadFails(bytes);
        Assert.StartsWith($"{Name}: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void AHeaderClaimingGigabytesAllocatesOnlyWhatIsThere()
    {
        var bytes = new WavBuilder { RiffSize = uint.MaxValue }
            .Format(1, 1, 16000, 16)
            .Data([Left], 16, declaredSize: uint.MaxValue - 100)
            .Build();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var audio = Read(bytes);

        Assert.Equal(Left.Length, audio.Length);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void MissingFileIsAnAudioFormatError()
    {
        var error = Assert.Throws<AudioFormatException>(() => WavFile.Read("/nonexistent/missing.wav"));
        Assert.Equal("/nonexistent/missing.wav: file not found", error.Message);
    }

    [Fact]
    public void ReadMonoMixesDownAndResamples()
    {
        using var folder = new TempDirectory("wav");
        var path = folder.Combine("stereo.wav");
        var left = Enumerable.Repeat(0.5f, 32000).ToArray();
        var right = Enumerable.Repeat(-0.25f, 32000).ToArray();
        File.WriteAllBytes(path, new WavBuilder().Format(1, 2, 32000, 16).Data([left, right], 16).Build());

        var mono = WavFile.ReadMono(path, 16000);

        Assert.Equal(16000, mono.Length);
        Assert.All(mono[100..15900], s => Assert.Equal(0.125f, s, 0.001f));
    }

    [Fact]
    public void WritePcm16RoundTripsAndLeavesNoTempFile()
    {
        using var folder = new TempDirectory("wav");
        var path = folder.Combine("out.wav");
        float[] samples = [0f, 0.5f, -0.5f, -1f, 0.999969482421875f, 1.5f, -2f];

        WavFile.WritePcm16(path, samples, 16000);
        var audio = WavFile.Read(path);

        Assert.Equal(16000, audio.SampleRate);
        Assert.Equal(1, audio.ChannelCount);
        Assert.Equal([0f, 0.5f, -0.5f, -1f, 0.999969482421875f, 0.999969482421875f, -1f], audio.Channels[0]);
        Assert.Equal(44 + 2 * samples.Length, new FileInfo(path).Length);
        Assert.Equal(["out.wav"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }
}
