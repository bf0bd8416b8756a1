using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Tests.Support;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Data;

public sealed class BatchLoaderTests : IDisposable
{
    private static readonly string[] Words = ["bed", "bird", "cat", "dog"];
    private readonly TempDirectory folder = new("loader");
    private readonly SpeechCommandsDataset data;

    public BatchLoaderTests()
    {
        MiniDataset.Create(folder.Path, Words, length: 12000);
        data = SpeechCommandsDataset.Open(folder.Path);
    }

    public void Dispose()
    {
        data.Dispose();
        folder.Dispose();
    }

    private static List<(string[] Clips, float[] Samples)> Run(BatchLoader loader, int epoch)
    {
        var batches = new List<(string[], float[])>();
        foreach (var batch in loader.Epoch(epoch))
            using (batch)
                batches.Add((batch.Clips.Select(c => c.RelativePath).ToArray(), batch.Waveforms.data<float>().ToArray()));
        return batches;
    }

    [Fact]
    public void BatchesHaveTheContractShapesAndLabels()
    {
        var clips = data.Clips(Split.Train);
        var loader = new BatchLoader(data, clips, new BatchLoaderOptions(5, Shuffle: false, DropLast: false, Augment: false, Seed: 0));

        Assert.Equal(12, clips.Count);
        Assert.Equal(3, loader.BatchesPerEpoch);
        var sizes = new List<int>();
        foreach (var batch in loader.Epoch(0))
        {
            using (batch)
            {
                Assert.Equal(new long[] { batch.Size, 1, 16000 }, batch.Waveforms.shape);
                Assert.Equal(ScalarType.Float32, batch.Waveforms.dtype);
                Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
                Assert.Equal(batch.Clips.Select(c => (long)Labels.IndexOf(c.Label)), batch.Labels.data<long>().ToArray());
                Assert.Equal(data.ReadPreprocessed(batch.Clips[^1]), batch.Waveforms[batch.Size - 1, 0].data<float>().ToArray());
                sizes.Add(batch.Size);
            }
        }
        Assert.Equal([5, 5, 2], sizes);
    }

    [Fact]
    public void BatchesStayIntactWhileLaterOnesArePrepared()
    {
        var loader = new BatchLoader(data, data.AllClips, new BatchLoaderOptions(2, Shuffle: true, DropLast: false, Augment: false, Seed: 2));
        var batches = loader.Epoch(0).ToList();
        try
        {
            foreach (var batch in batches)
                for (var i = 0; i < batch.Size; i++)
                    Assert.Equal(data.ReadPreprocessed(batch.Clips[i]), batch.Waveforms[i, 0].data<float>().ToArray());
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void DropLastLeavesOutThePartialBatch()
    {
        var loader = new BatchLoader(data, data.Clips(Split.Train), new BatchLoaderOptions(5, true, DropLast: true, false, 0));
        Assert.Equal(2, loader.BatchesPerEpoch);
        Assert.Equal([5, 5], Run(loader, 0).Select(b => b.Clips.Length));
    }

    [Fact]
    public void OrderAndShiftsAreAPureFunctionOfSeedAndEpoch()
    {
        var options = new BatchLoaderOptions(4, Shuffle: true, DropLast: true, Augment: true, Seed: 7);
        var clips = data.Clips(Split.Train);
        var first = Run(new BatchLoader(data, clips, options), 3);
        var again = Run(new BatchLoader(data, clips, options), 3);
        var nextEpoch = Run(new BatchLoader(data, clips, options), 4);
        var otherSeed = Run(new BatchLoader(data, clips, options with { Seed = 8 }), 3);

        Assert.Equal(first.SelectMany(b => b.Clips), again.SelectMany(b => b.Clips));
        Assert.Equal(first.SelectMany(b => b.Samples), again.SelectMany(b => b.Samples));
        Assert.NotEqual(first.SelectMany(b => b.Clips), nextEpoch.SelectMany(b => b.Clips));
        Assert.NotEqual(first.SelectMany(b => b.Clips), otherSeed.SelectMany(b => b.Clips));
        Assert.Equal(clips.Select(c => c.RelativePath).Order(), first.SelectMany(b => b.Clips).Order());
    }

    [Fact]
    public void AugmentationShiftsEachClipByAtMost80Samples()
    {
        var clips = data.Clips(Split.Train);
        var loader = new BatchLoader(data, clips, new BatchLoaderOptions(12, false, false, Augment: true, Seed: 1));
        var shifts = new HashSet<int>();
        foreach (var (names, samples) in Run(loader, 0))
            for (var i = 0; i < names.Length; i++)
            {
                var clean = data.ReadPreprocessed(clips.Single(c => c.RelativePath == names[i]));
                var shifted = samples.AsSpan(i * 16000, 16000).ToArray();
                Assert.All(shifted[..80], s => Assert.Equal(0f, s));
                Assert.All(shifted[15920..], s => Assert.Equal(0f, s));
                var offset = Enumerable.Range(0, 160).Single(o => shifted.AsSpan(80, 15840).SequenceEqual(clean.AsSpan(o, 15840)));
                shifts.Add(80 - offset);
            }
        Assert.All(shifts, s => Assert.InRange(s, -79, 80));
        Assert.True(shifts.Count > 1);
    }

    [Fact]
    public void LimitPicksTheSameSubsetEveryEpoch()
    {
        var options = new BatchLoaderOptions(2, Shuffle: true, DropLast: false, Augment: false, Seed: 3, Limit: 6);
        var loader = new BatchLoader(data, data.AllClips, options);

        Assert.Equal(6, loader.Clips.Count);
        Assert.Equal(3, loader.BatchesPerEpoch);
        var subset = loader.Clips.Select(c => c.RelativePath).Order().ToList();
        Assert.Equal(subset, Run(loader, 0).SelectMany(b => b.Clips).Order());
        Assert.Equal(subset, Run(loader, 5).SelectMany(b => b.Clips).Order());
        Assert.Equal(loader.Clips, new BatchLoader(data, data.AllClips, options).Clips);
    }

    [Fact]
    public void AbandonedAndCancelledEpochsStopCleanly()
    {
        var loader = new BatchLoader(data, data.AllClips, new BatchLoaderOptions(1, true, false, true, 0));
        foreach (var batch in loader.Epoch(0))
        {
            batch.Dispose();
            break;
        }
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => loader.Epoch(0, cancel.Token).ToList());
    }

    [Fact]
    public void ReadErrorsReachTheConsumer()
    {
        using var other = new TempDirectory("loader-bad");
        MiniDataset.Create(other.Path, ["bed"]);
        using var direct = SpeechCommandsDataset.Open(other.Path, new DatasetOptions { UseCache = false });
        var broken = other.Combine("bed", "3c6ef362_nohash_0.wav");
        File.WriteAllBytes(broken, [1, 2, 3]);
        var loader = new BatchLoader(direct, direct.AllClips, new BatchLoaderOptions(2, false, false, false, 0));

        var error = Assert.Throws<AudioFormatException>(() =>
        {
            foreach (var batch in loader.Epoch(0))
                batch.Dispose();
        });
        Assert.StartsWith(broken, error.Message);
    }
}
