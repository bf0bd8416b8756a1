using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.SpeechEmbedding;

/// <summary>
/// The embedding cache, addressed by the content of the embedded samples: an entry is computed once, read back equal
/// after the process ends, shared by runs that hand the encoder the same samples, kept apart per encoder, and a
/// killed write (a torn segment or a temp file) is never read.
/// </summary>
public sealed class EmbeddingCacheTests
{
    private const int Clips = 5;

    [Fact]
    public void EmbedsOnceAndReadsBackEqualAfterReopening()
    {
        using var folder = new TempDirectory("embedding-cache");
        var clips = EncoderFixtures.Speech(Clips);
        using var encoder = SpeechEmbeddingEncoder.Open(EncoderFixtures.StandIn);
        var expected = clips.Select(c => encoder.EmbedClip(c)).ToArray();

        using (var frontEnd = SpeechEmbeddingFrontEnd.Open(EncoderFixtures.StandIn, new FrontEndOptions(CacheRoot: folder.Path, Threads: 2)))
        {
            // Clip 1 twice: the same samples are one entry, embedded once.
            var keys = frontEnd.Ensure(Clips + 1, (i, samples) => clips[i == Clips ? 1 : i].CopyTo(samples), "embedding clips", out var computed);
            Assert.Equal(Clips, computed);
            Assert.Equal(keys[1], keys[Clips]);
            Assert.Equal(Clips, frontEnd.Cache.Count);
            for (var i = 0; i < Clips; i++)
                Assert.True(expected[i].Zip(frontEnd.Cache.Stored(keys[i]).ToArray()).All(p => Math.Abs(p.First - p.Second) <= 1e-5f), $"clip {i}");
        }

        using (var reopened = SpeechEmbeddingFrontEnd.Open(EncoderFixtures.StandIn, new FrontEndOptions(CacheRoot: folder.Path)))
        {
            Assert.Equal(Clips, reopened.Cache.Count);
            var keys = reopened.Ensure(Clips, (i, samples) => clips[i].CopyTo(samples), "embedding clips", out var computed);
            Assert.Equal(0, computed);
            Assert.Equal(expected[Clips - 1], reopened.Cache.Stored(keys[Clips - 1]).ToArray());
            // A changed sample is another entry.
            var changed = reopened.Ensure(1, (_, samples) => { clips[0].CopyTo(samples); samples[8000] += 1e-3f; }, "embedding clips", out computed);
            Assert.Equal(1, computed);
            Assert.NotEqual(keys[0], changed[0]);
        }
    }

    [Fact]
    public void EachEncoderHasItsOwnFolder()
    {
        using var folder = new TempDirectory("embedding-cache");
        var other = StandInEncoder.Write(folder.Combine("other-encoder"), seed: 34);
        using var a = EmbeddingCache.Open(folder.Combine("root"), EncoderFixtures.StandIn);
        using var b = EmbeddingCache.Open(folder.Combine("root"), other);
        using var again = EmbeddingCache.Open(folder.Combine("root"), EncoderFixtures.StandIn);
        Assert.NotEqual(a.Directory, b.Directory);
        Assert.Equal(a.Directory, again.Directory);
        var missing = Assert.Throws<TfCrnnException>(() => EmbeddingCache.Open(folder.Combine("root"), folder.Combine("none")));
        Assert.Contains("melspectrogram.onnx: no such file", missing.Message);
    }

    /// <summary>What a kill -9 can leave (a temp file mid-write, a segment cut short) is never read: its entries are computed again.</summary>
    [Fact]
    public void WhatAKilledWriteLeavesIsNeverRead()
    {
        using var folder = new TempDirectory("embedding-cache");
        var values = Enumerable.Range(0, EmbeddingCache.Values).Select(i => i * 0.5f).ToArray();
        string directory;
        using (var cache = EmbeddingCache.Open(folder.Path, EncoderFixtures.StandIn))
        {
            cache.Add(1, values);
            cache.Add(2, values);
            cache.Commit();
            directory = cache.Directory;
        }
        var segment = Directory.GetFiles(directory, "segment-*.emb").Single();
        File.Copy(segment, Path.Combine(directory, ".segment-torn.emb.0123.tmp"));
        using (var stream = File.OpenWrite(segment)) stream.SetLength(stream.Length - 4);
        using (var cache = EmbeddingCache.Open(folder.Path, EncoderFixtures.StandIn))
        {
            Assert.Equal(0, cache.Count);
            Assert.False(cache.TryCopy(1, new float[EmbeddingCache.Values]));
            cache.Add(1, values);
            cache.Commit();
        }
        using var reopened = EmbeddingCache.Open(folder.Path, EncoderFixtures.StandIn);
        Assert.True(reopened.Contains(1));
        Assert.False(reopened.Contains(2));
        Assert.Equal(values, reopened.Stored(1).ToArray());
        Assert.Throws<ArgumentException>(() => reopened.Add(3, new float[10]));
    }
}
