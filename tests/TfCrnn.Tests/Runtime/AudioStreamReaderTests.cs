using TfCrnn.Audio;
using TfCrnn.Runtime;
using TfCrnn.Tests.Audio;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Runtime;

/// <summary>
/// <see cref="AudioStreamReader"/> reads every WAV that <see cref="WavFile"/> reads (what <c>predict</c> takes), in
/// chunks, and gives the samples of the whole-file path (<see cref="WavFile.Read(Stream, string)"/>, mixed down, and
/// resampled by the same <see cref="StreamingResampler"/> over the whole signal), bit for bit, however the reads split
/// the header, the frames, the samples and the channels.
/// </summary>
public sealed class AudioStreamReaderTests
{
    private const int Rate = 16000;

    /// <summary>Channel counts and rates, each read in chunks of every size.</summary>
    private static readonly (int Channels, int SampleRate)[] Layouts = [(1, 16000), (2, 44100), (3, 8000), (6, 22050)];

    private static readonly int[] ReadSizes = [1, 3, 7, 1001];

    /// <summary>A twentieth of a second of noise and a tone per channel, different in each.</summary>
    private static float[][] Signal(int channels, int sampleRate)
    {
        var random = new Random(channels * 7 + sampleRate);
        return [.. Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, sampleRate / 20)
            .Select(t => (float)(0.5 * Math.Sin(2 * Math.PI * (300 + 200 * c) * t / sampleRate) + 0.4 * (random.NextDouble() - 0.5)))
            .ToArray())];
    }

    /// <summary>The whole-file path: every sample in memory, mixed down, then resampled in one go.</summary>
    private static float[] WholeFile(byte[] bytes)
    {
        var audio = WavFile.Read(new MemoryStream(bytes), "clip.wav");
        var mono = audio.MixDown();
        if (audio.SampleRate == Rate) return mono;
        var resampler = new StreamingResampler(audio.SampleRate, Rate);
        return [.. resampler.Push(mono).ToArray(), .. resampler.Finish().ToArray()];
    }

    private static async Task<(float[] Samples, AudioStreamReader Reader)> Read(Stream stream, int buffer = 333)
    {
        var reader = new AudioStreamReader(stream, Rate, "clip.wav") { AcceptsRawPcm = false };
        var samples = new List<float>();
        var chunk = new float[buffer];
        int read;
        while ((read = await reader.ReadAsync(chunk)) > 0) samples.AddRange(chunk[..read]);
        return ([.. samples], reader);
    }

    [Theory]
    [MemberData(nameof(WavFileTests.Formats), MemberType = typeof(WavFileTests))]
    public async Task EveryFormatReadInChunksGivesTheSamplesOfTheWholeFile(int bits, bool isFloat, bool bigEndian, bool extensible)
    {
        foreach (var (channels, sampleRate) in Layouts)
        {
            var bytes = new WavBuilder { BigEndian = bigEndian }
                .Chunk("LIST", [1, 2, 3]) // an odd chunk before the format
                .Format(isFloat ? (ushort)3 : (ushort)1, channels, sampleRate, bits, extensible)
                .Data(Signal(channels, sampleRate), bits, isFloat)
                .Build();
            var expected = WholeFile(bytes);
            Assert.Equal((int)Math.Round(sampleRate / 20 * (double)Rate / sampleRate), expected.Length);
            foreach (var size in ReadSizes)
            {
                var (samples, reader) = await Read(new ChunkedPipe(bytes, size));
                Assert.True(expected.AsSpan().SequenceEqual(samples), $"{channels} channels at {sampleRate} Hz read {size} bytes at a time");
                Assert.Null(reader.Length); // a pipe does not tell its length
            }
            var (fromFile, fileReader) = await Read(new MemoryStream(bytes));
            Assert.Equal(expected, fromFile);
            Assert.Equal(expected.Length, fileReader.Length);
        }
    }

    [Fact]
    public async Task AFileMayHoldItsDataBeforeItsFormatAndJunkAfter()
    {
        var signal = Signal(2, 48000);
        var bytes = new WavBuilder { Trailing = "JUNKJUNK\xff"u8.ToArray() }
            .Data(signal, 16)
            .Chunk("cue ", new byte[7])
            .Format(1, 2, 48000, 16)
            .Build();
        using var folder = new TempDirectory("chunked-wav");
        var path = folder.Combine("data-first.wav");
        File.WriteAllBytes(path, bytes);

        await using var file = WavFile.OpenRead(path);
        var (samples, reader) = await Read(file, 1000);

        Assert.Equal(WholeFile(bytes), samples);
        Assert.Equal(samples.Length, reader.Length);
    }

    [Theory]
    [MemberData(nameof(WavFileTests.BadFiles), MemberType = typeof(WavFileTests))]
    public async Task WhatAWavFileRefusesIsRefusedWithTheSameError(string problem, byte[] bytes)
    {
        var expected = Assert.Throws<AudioFormatException>(() => WavFile.Read(new MemoryStream(bytes), "clip.wav")).Message;
        Assert.Contains(problem, expected);
        foreach (var stream in new Stream[] { new ChunkedPipe(bytes, 1, 2, 3), new MemoryStream(bytes) })
            Assert.Equal(expected, (await Assert.ThrowsAsync<AudioFormatException>(() => Read(stream))).Message);
    }
}
