using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Progress;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.SpeechEmbedding;

/// <summary>
/// The embedding cache: the embeddings of every clip's augmented copies, reused while the key (encoder files, clips,
/// augmentation) is the same and rebuilt when any part changes; a build killed at any point leaves nothing that is read.
/// </summary>
public sealed class EmbeddingCacheTests
{
    private const int Clips = 5;
    private const int Copies = 3;

    [Fact]
    public void HoldsEachCopysEmbeddingsAndIsReusedWithoutComputing()
    {
        using var folder = new TempDirectory("embedding-cache");
        var clips = EncoderFixtures.Speech(Clips);
        var recipe = AugmentationRecipe.Parse("none,noise=0:10,gain=-6:6");
        var waveforms = new AugmentedCopies(clips, recipe, seed: 4);
        var reports = new List<TaskProgress>();
        using (var cache = EmbeddingCache.Open(Options(folder, recipe.ToString()), waveforms.Fill, new SynchronousProgress<TaskProgress>(reports.Add)))
        {
            Assert.False(cache.Reused);
            Assert.Equal((Clips, Copies, 16), (cache.Clips, cache.Copies, cache.Steps));
            Assert.Equal(Clips * Copies, waveforms.Calls);
            Assert.Equal(new TaskProgress("embedding clips", Clips * Copies, Clips * Copies), reports[^1]);
            using var encoder = SpeechEmbeddingEncoder.Open(EncoderFixtures.StandIn);
            for (var clip = 0; clip < Clips; clip++)
                for (var copy = 0; copy < Copies; copy++)
                {
                    var expected = encoder.EmbedClip(waveforms.Waveform(clip, copy));
                    var cached = cache.Embeddings(clip, copy).ToArray();
                    Assert.Equal(16 * 96, cached.Length);
                    Assert.True(expected.Zip(cached).All(p => Math.Abs(p.First - p.Second) <= 1e-5f), $"clip {clip} copy {copy}");
                }
            // The augmented copies differ from each other.
            Assert.NotEqual(cache.Embeddings(2, 1).ToArray(), cache.Embeddings(2, 2).ToArray());
        }

        var again = new AugmentedCopies(clips, recipe, seed: 4);
        using (var reused = EmbeddingCache.Open(Options(folder, recipe.ToString()), again.Fill))
        {
            Assert.True(reused.Reused);
            Assert.Equal(0, again.Calls);
            Assert.Throws<ArgumentOutOfRangeException>(() => reused.Embeddings(Clips, 0).Length);
            Assert.Throws<ArgumentOutOfRangeException>(() => reused.Embeddings(0, Copies).Length);
        }
        Assert.Equal(["manifest.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Where(n => !n!.EndsWith(".f32")));
        Assert.Single(Directory.GetFiles(folder.Path, "*.f32"));
    }

    public static TheoryData<string> KeyParts => ["encoder", "clips", "augmentation", "seed", "copies"];

    [Theory]
    [MemberData(nameof(KeyParts))]
    public void AChangeInAnyPartOfTheKeyRebuilds(string part)
    {
        using var folder = new TempDirectory("embedding-cache");
        var clips = EncoderFixtures.Speech(2);
        var options = Options(folder, "none") with { ClipKeys = ["a", "b"], Copies = 1 };
        var plain = new AugmentedCopies(clips, AugmentationRecipe.None, seed: 0);
        using (EmbeddingCache.Open(options, plain.Fill)) { }
        var changed = part switch
        {
            "encoder" => options with { EncoderDirectory = StandInEncoder.Write(folder.Combine("other-encoder"), seed: 34) },
            "clips" => options with { ClipKeys = ["a", "b changed"] },
            "augmentation" => options with { Augmentation = "none,gain=-6:6" },
            "seed" => options with { Seed = 1 },
            _ => options with { Copies = 2 },
        };
        var counted = new AugmentedCopies(clips, AugmentationRecipe.None, seed: 0);
        using var cache = EmbeddingCache.Open(changed, counted.Fill);
        Assert.False(cache.Reused);
        Assert.Equal(2 * changed.Copies, counted.Calls);
        using var same = EmbeddingCache.Open(changed, counted.Fill);
        Assert.True(same.Reused);
    }

    /// <summary>
    /// What a kill -9 leaves on disk at each point of a build (a partial temp file during the embedding; the data file
    /// renamed into place but no manifest yet; a half-written temp manifest; the previous build's manifest beside a new
    /// data file) is never read: the next open rebuilds, with the right values.
    /// </summary>
    [Fact]
    public void WhatAKilledBuildLeavesIsNeverRead()
    {
        using var folder = new TempDirectory("embedding-cache");
        var clips = EncoderFixtures.Speech(Clips);
        var options = Options(folder.Combine("cache"), "none");
        var snapshots = new List<string>();
        var waveforms = new AugmentedCopies(clips, AugmentationRecipe.None, seed: 0);
        void Fill(int clip, int copy, Span<float> samples)
        {
            // Mid-build, after some clips went to the temp file: the disk as a kill would leave it.
            if (clip == 3 && copy == 0)
                snapshots.Add(Snapshot(folder, options.Directory, "during"));
            waveforms.Fill(clip, copy, samples);
        }
        float[] expected;
        using (var cache = EmbeddingCache.Open(options, Fill))
            expected = cache.Embeddings(Clips - 1, Copies - 1).ToArray();
        Assert.Single(snapshots);
        Assert.Contains(Directory.GetFiles(snapshots[0]), f => f.EndsWith(".tmp"));
        Assert.DoesNotContain(Directory.GetFiles(snapshots[0]), f => f.EndsWith("manifest.json"));

        var built = Snapshot(folder, options.Directory, "built");
        var beforeManifest = Snapshot(folder, options.Directory, "before-manifest");
        File.Delete(Path.Combine(beforeManifest, "manifest.json"));
        var tornManifest = Snapshot(folder, beforeManifest, "torn-manifest");
        var manifestText = File.ReadAllText(Path.Combine(built, "manifest.json"));
        File.WriteAllText(Path.Combine(tornManifest, ".manifest.json.0123.tmp"), manifestText[..(manifestText.Length / 2)]);
        // A manifest of another key (an earlier build's) beside the new data file.
        var oldManifest = Snapshot(folder, beforeManifest, "old-manifest");
        var other = System.Text.Json.Nodes.JsonNode.Parse(manifestText)!;
        other["fingerprint"] = new string('0', 64);
        File.WriteAllText(Path.Combine(oldManifest, "manifest.json"), other.ToJsonString());
        var truncatedData = Snapshot(folder, options.Directory, "truncated-data");
        var data = Directory.GetFiles(truncatedData, "*.f32").Single();
        using (var stream = File.OpenWrite(data)) stream.SetLength(stream.Length / 2);

        foreach (var state in snapshots.Concat([beforeManifest, tornManifest, oldManifest, truncatedData]))
        {
            var counted = new AugmentedCopies(clips, AugmentationRecipe.None, seed: 0);
            using var cache = EmbeddingCache.Open(options with { Directory = state }, counted.Fill);
            Assert.False(cache.Reused, state);
            Assert.Equal(Clips * Copies, counted.Calls);
            Assert.Equal(expected, cache.Embeddings(Clips - 1, Copies - 1).ToArray());
        }
        using (var intact = EmbeddingCache.Open(options with { Directory = built }, (_, _, _) => throw new InvalidOperationException("reused caches compute nothing")))
            Assert.True(intact.Reused);
    }

    [Fact]
    public void ACancelledBuildLeavesNoFilesAndTheNextOneBuilds()
    {
        using var folder = new TempDirectory("embedding-cache");
        var clips = EncoderFixtures.Speech(Clips);
        var options = Options(folder, "none");
        using var cancel = new CancellationTokenSource();
        var waveforms = new AugmentedCopies(clips, AugmentationRecipe.None, seed: 0);
        var progress = new SynchronousProgress<TaskProgress>(p => { if (p.Completed == 4) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => EmbeddingCache.Open(options, waveforms.Fill, progress, cancel.Token));
        Assert.Empty(Directory.GetFiles(folder.Path));
        using var cache = EmbeddingCache.Open(options, waveforms.Fill);
        Assert.False(cache.Reused);
    }

    [Fact]
    public void OptionsAreValidated()
    {
        using var folder = new TempDirectory("embedding-cache");
        var options = Options(folder, "none");
        Assert.Equal("EmbeddingCacheOptions.Copies", Assert.Throws<OptionException>(() => (options with { Copies = 0 }).Validate()).Option);
        Assert.Equal("EmbeddingCacheOptions.ClipKeys", Assert.Throws<OptionException>(() => (options with { ClipKeys = [] }).Validate()).Option);
        Assert.Equal("EmbeddingCacheOptions.Threads", Assert.Throws<OptionException>(() => (options with { Threads = -1 }).Validate()).Option);
        var missing = Assert.Throws<TfCrnnException>(() => EmbeddingCache.Open(options with { EncoderDirectory = folder.Combine("none") }, (_, _, _) => { }));
        Assert.Contains("melspectrogram.onnx: no such file", missing.Message);
        using var file = new TempDirectory("clip-key");
        File.WriteAllBytes(file.Combine("a.wav"), [1, 2, 3]);
        Assert.StartsWith($"{file.Combine("a.wav")}\t3\t", EmbeddingCache.FileKey(file.Combine("a.wav")));
    }

    private static EmbeddingCacheOptions Options(TempDirectory folder, string augmentation) => Options(folder.Path, augmentation);

    private static EmbeddingCacheOptions Options(string directory, string augmentation) => new()
    {
        Directory = directory,
        EncoderDirectory = EncoderFixtures.StandIn,
        ClipKeys = [.. Enumerable.Range(0, Clips).Select(i => $"clip-{i}")],
        Copies = Copies,
        Augmentation = augmentation,
        Seed = 4,
    };

    private static string Snapshot(TempDirectory folder, string source, string name)
    {
        var target = folder.Combine("snapshots", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(target);
        // cp, not File.Copy: the build holds its temp file with an exclusive (advisory) lock, which a kill would release.
        var copy = ChildProcess.RunAsync("cp", ["-a", .. Directory.GetFiles(source), target]).GetAwaiter().GetResult();
        Assert.True(copy.ExitCode == 0, copy.Stderr);
        return target;
    }

    /// <summary>Copies of clips as the training data will make them: copy 0 the clip, the others augmented in the waveform (<see cref="ClipAugmenter"/>).</summary>
    private sealed class AugmentedCopies(IReadOnlyList<float[]> clips, AugmentationRecipe recipe, int seed)
    {
        private readonly ClipAugmenter augmenter = new(recipe, new NoiseSources());

        public int Calls { get; private set; }

        public float[] Waveform(int clip, int copy)
        {
            var samples = clips[clip].ToArray();
            if (copy > 0 && recipe.HasTransforms)
                augmenter.Apply(samples, Seeds.Mix(seed, clip * 1000L + copy));
            return samples;
        }

        public void Fill(int clip, int copy, Span<float> samples)
        {
            Calls++;
            Waveform(clip, copy).CopyTo(samples);
        }
    }
}
