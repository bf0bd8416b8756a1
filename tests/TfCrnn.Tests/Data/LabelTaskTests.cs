using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Tests.Support;

namespace TfCrnn.Tests.Data;

public sealed class LabelTaskTests
{
    [Fact]
    public void TheTwelveLabelTaskMapsOtherWordsToUnknownAndNoiseToSilence()
    {
        var task = LabelTasks.Parse("standard12").Classes;
        Assert.Equal(["_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"], task.Labels);
        Assert.Equal(Enumerable.Range(2, 10), task.KeywordIndices);
        Assert.Equal(2, task.ClassOf("yes"));
        Assert.Equal(11, task.ClassOf("go"));
        Assert.Equal(1, task.ClassOf("bed"));
        Assert.Equal(1, task.ClassOf("hello"));
        Assert.Equal(0, task.ClassOf("_background_noise_"));
        Assert.Equal(0, task.ClassOf("_silence_"));
        Assert.Null(task.ClassOf("_other_"));

        var none = LabelTasks.Parse("commands35+none").Classes;
        Assert.Equal(36, none.Count);
        Assert.Equal((35, 35, 33), (none.ClassOf("hello")!.Value, none.NoiseClass()!.Value, none.ClassOf("yes")!.Value));
        // The paper's task uses its 35 words only.
        Assert.Null(LabelTasks.Commands.Classes.ClassOf("hello"));
        Assert.Null(LabelTasks.Commands.Classes.NoiseClass());
        Assert.False(LabelTasks.Commands.Classes.HasRejection);
        Assert.Equal("--task must be one of commands35, commands35+none, standard12, got 'commands'",
            Assert.Throws<OptionException>(() => LabelTasks.Parse("commands")).Message);
    }

    [Fact]
    public void ConfigsWithoutLabelsLoadAsThe35WordsAndLabelsRoundTrip()
    {
        var old = ModelConfig.FromJson("""{ "variant": "tfcrnn-se", "width": 16, "hidden_size": 256, "classes": 35, "clip_samples": 16000 }""");
        Assert.Same(LabelTasks.Commands.Classes, old.LabelSet);
        var older = ModelConfig.FromJson("""{ "variant": "crnn-se" }""");
        Assert.Equal(LabelTasks.Commands.Classes.Labels, older.Labels);
        var thirty = ModelConfig.FromJson("""{ "variant": "crnn-se", "classes": 30 }""");
        Assert.Equal(LabelTasks.Commands.Classes.Labels.Take(30), thirty.Labels);

        var twelve = ModelConfig.For("cnn-se") with { Labels = LabelTasks.Standard12.Classes.Labels };
        var json = twelve.ToJson();
        Assert.Contains("\"classes\": 12", json);
        var loaded = ModelConfig.FromJson(json);
        Assert.Equal(twelve, loaded);
        Assert.Equal(LabelTasks.Standard12.Classes, loaded.LabelSet);
        using var model = ModelFactory.Create(loaded with { Width = 8 });
        Assert.Equal(12, model.Config.Classes);

        Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("""{ "variant": "crnn-se", "labels": ["yes", "yes"] }"""));
        Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("""{ "variant": "crnn-se", "labels": ["_silence_"] }"""));
    }

    [Fact]
    public void RejectionExamplesAreDrawnPerEpochDeterministically()
    {
        using var folder = new TempDirectory("rejection");
        MiniDataset.Create(folder.Path, ["yes", "no", "bed", "cat", "dog", "bird"], length: 12000);
        var recording = Enumerable.Range(0, 20000).Select(i => MathF.Sin(i * 0.37f) * 0.5f).ToArray();
        WavFile.WritePcm16(folder.Combine("_background_noise_", "hum.wav"), recording, 16000);
        using var data = SpeechCommandsDataset.Open(folder.Path, new DatasetOptions { UseCache = false });
        var mix = new RejectionMix { UnknownPercent = 50, SilencePercent = 50 };
        BatchLoader Loader(bool augment) => new(data, data.AllClips,
            new BatchLoaderOptions(8, Shuffle: true, DropLast: false, Augment: augment, Seed: 4) { Labels = LabelTasks.Standard12.Classes, Rejection = mix });

        // 14 keyword clips (yes, no × 7 speakers), half as many other words and as many noise slices.
        var loader = Loader(augment: false);
        Assert.Equal(28, loader.ExamplesPerEpoch);
        Assert.Equal(4, loader.BatchesPerEpoch);
        var first = Examples(loader, 0);
        Assert.Equal(7, first.Count(e => e.Target == 0));
        Assert.Equal(7, first.Count(e => e.Target == 1));
        Assert.Equal(14, first.Count(e => e.Target >= 2));
        Assert.All(first.Where(e => e.Target == 1), e => Assert.Contains(e.Label, new[] { "bed", "cat", "dog", "bird" }));
        Assert.All(first.Where(e => e.Target == 0), e => Assert.Equal("_background_noise_", e.Label));
        // A noise slice is the recording at one gain in [0, 1], scaled like any input.
        var slice = first.First(e => e.Target == 0);
        var offset = int.Parse(slice.Path.Split('@')[1]);
        var expected = recording[offset..(offset + 16000)].Select(s => WavFile.ToPcm16(s) / 32768f * Preprocessing.InputScale).ToArray();
        var gain = slice.Samples[100] / expected[100];
        Assert.InRange(gain, 0, 1);
        Assert.Equal(expected.Select(s => s * gain), slice.Samples, (a, b) => Math.Abs(a - b) < 1e-4);

        // Same seed and epoch, same examples (a resumed run); another epoch, another draw.
        Assert.Equal(first.Select(e => (e.Path, e.Target)), Examples(Loader(augment: false), 0).Select(e => (e.Path, e.Target)));
        Assert.NotEqual(first.Select(e => e.Path), Examples(loader, 1).Select(e => e.Path));
        // Training mixes noise into some clips of every class; evaluation leaves clips clean.
        var clean = first.Where(e => e.Target >= 1).All(e => e.Samples.Count(s => s != 0) <= 12000);
        var mixed = Examples(Loader(augment: true), 0).Where(e => e.Target >= 1).Count(e => e.Samples.Count(s => s != 0) > 12000);
        Assert.True(clean);
        Assert.InRange(mixed, 10, 21);
    }

    [Fact]
    public void AugmentationChangesEveryExampleOfTheRejectionDrawsAndLeavesTheDrawsAlone()
    {
        using var folder = new TempDirectory("rejection-augmented");
        MiniDataset.Create(folder.Path, ["yes", "no", "bed", "cat"], length: 12000);
        WavFile.WritePcm16(folder.Combine("_background_noise_", "hum.wav"),
            [.. Enumerable.Range(0, 20000).Select(i => MathF.Sin(i * 0.37f) * 0.5f)], 16000);
        using var data = SpeechCommandsDataset.Open(folder.Path, new DatasetOptions { UseCache = false });
        var mix = new RejectionMix { UnknownPercent = 50, SilencePercent = 50, BackgroundFrequency = 0 };
        var options = new BatchLoaderOptions(8, Shuffle: true, DropLast: false, Augment: true, Seed: 4) { Labels = LabelTasks.Standard12.Classes, Rejection = mix };
        BatchLoader Loader(string recipe) => new(data, data.AllClips, options with { Augmentation = AugmentationRecipe.Parse(recipe) });

        var paper = Examples(Loader("paper"), 1);
        var louder = Examples(Loader("paper,gain=6:6@1"), 1);
        // The same keyword clips, other words and noise slices in the same order and shifts, each 6 dB louder.
        Assert.Equal(paper.Select(e => (e.Path, e.Target)), louder.Select(e => (e.Path, e.Target)));
        Assert.Equal([0, 1, 2, 3], paper.Select(e => e.Target).Distinct().Order());
        var gain = (float)Math.Pow(10, 6 / 20.0);
        for (var i = 0; i < paper.Count; i++)
        {
            Assert.Contains(paper[i].Samples, s => s != 0);
            Assert.Equal(paper[i].Samples.Select(s => s * gain), louder[i].Samples, (a, b) => Math.Abs(a - b) < 1e-3);
        }
    }

    private static List<(string Path, string Label, int Target, float[] Samples)> Examples(BatchLoader loader, int epoch)
    {
        var examples = new List<(string, string, int, float[])>();
        foreach (var batch in loader.Epoch(epoch))
            using (batch)
            {
                var targets = batch.Labels.data<long>().ToArray();
                for (var i = 0; i < batch.Size; i++)
                    examples.Add((batch.Clips[i].RelativePath, batch.Clips[i].Label, (int)targets[i], batch.Waveforms[i, 0].data<float>().ToArray()));
            }
        return examples;
    }
}
