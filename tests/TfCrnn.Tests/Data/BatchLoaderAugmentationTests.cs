using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Data;

/// <summary>The augmentation hook of <see cref="BatchLoader"/>: the paper's recipe unchanged, the others seeded per clip.</summary>
public sealed class BatchLoaderAugmentationTests : IDisposable
{
    private readonly ToneDataset tones = new(trainPerWord: 4, validPerWord: 1, testPerWord: 1, noiseRecordings: 1);
    private readonly SpeechCommandsDataset data;

    public BatchLoaderAugmentationTests() => data = SpeechCommandsDataset.Open(tones.Path);

    public void Dispose()
    {
        data.Dispose();
        tones.Dispose();
    }

    private static float[] Samples(BatchLoader loader, int epoch)
    {
        var samples = new List<float>();
        foreach (var batch in loader.Epoch(epoch))
            using (batch)
                samples.AddRange(batch.Waveforms.data<float>().ToArray());
        return [.. samples];
    }

    [Fact]
    public void ThePapersRecipeGivesExactlyTheBatchesOfTheShiftAlone()
    {
        var clips = data.Clips(Split.Train);
        foreach (var recipe in new AugmentationRecipe?[] { null, AugmentationRecipe.Parse("paper") })
        {
            var loader = new BatchLoader(data, clips, new BatchLoaderOptions(5, Shuffle: true, DropLast: true, Augment: true, Seed: 9,
                Augmentation: recipe));
            for (var epoch = 0; epoch < 2; epoch++)
            {
                // The loader as it was before augmentation recipes: shuffle, then one shift offset per position.
                var random = new Random(Seeds.Mix(9, epoch));
                var order = Enumerable.Range(0, clips.Count).ToArray();
                random.Shuffle(order);
                var offsets = order.Select(_ => random.Next(Preprocessing.ShiftRange)).ToArray();
                var expected = new List<float>();
                for (var i = 0; i < loader.BatchesPerEpoch * 5; i++)
                {
                    var shifted = new float[Preprocessing.ClipSamples];
                    Preprocessing.Shift(data.ReadPreprocessed(clips[order[i]]), shifted, offsets[i]);
                    expected.AddRange(shifted);
                }
                Assert.Equal(expected, Samples(loader, epoch));
            }
        }
    }

    [Fact]
    public void NoneGivesTheCleanClips()
    {
        var clips = data.Clips(Split.Train);
        var loader = new BatchLoader(data, clips, new BatchLoaderOptions(4, Shuffle: false, DropLast: false, Augment: true, Seed: 1,
            Augmentation: AugmentationRecipe.None));
        Assert.Equal(clips.SelectMany(data.ReadPreprocessed), Samples(loader, 0));
    }

    [Fact]
    public void EachClipsAugmentationDependsOnSeedEpochAndPositionOnly()
    {
        var clips = data.Clips(Split.Train);
        BatchLoader Loader(int batchSize, int seed) => new(data, clips, new BatchLoaderOptions(batchSize, Shuffle: true, DropLast: false,
            Augment: true, seed, Augmentation: AugmentationRecipe.Robust));

        var first = Samples(Loader(4, 3), 2);
        Assert.Equal(clips.Count * Preprocessing.ClipSamples, first.Length);
        Assert.All(first, s => Assert.True(float.IsFinite(s)));
        // A resumed run (a new loader), and other batch sizes, see the same epoch.
        Assert.Equal(first, Samples(Loader(4, 3), 2));
        Assert.Equal(first, Samples(Loader(7, 3), 2));
        Assert.NotEqual(first, Samples(Loader(4, 3), 3));
        Assert.NotEqual(first, Samples(Loader(4, 4), 2));
    }
}
