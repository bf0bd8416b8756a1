// TEMPORARY: minimal stand-ins for the data and models contracts (common.md) so that Training and
// Evaluation compile and test before the data and models branches are merged. Deleted at merge.
using System.Collections.Concurrent;
using NAudio.Wave;
using TfCrnn.Progress;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace TfCrnn.Audio
{
    public sealed class AudioFormatException(string message) : TfCrnnException(message);

    public sealed record WavAudio(int SampleRate, float[][] Channels)
    {
        public int ChannelCount => Channels.Length;
        public int Length => Channels[0].Length;
        public float[] FirstChannel() => Channels[0];
        public float[] MixDown() => Enumerable.Range(0, Length).Select(i => Channels.Average(c => c[i])).ToArray();
    }

    public static class WavFile
    {
        public static WavAudio Read(string path)
        {
            try
            {
                using var reader = new WaveFileReader(path);
                var provider = reader.ToSampleProvider();
                var channels = reader.WaveFormat.Channels;
                var all = new List<float>();
                var buffer = new float[4096];
                int n;
                while ((n = provider.Read(buffer, 0, buffer.Length)) > 0) all.AddRange(buffer.AsSpan(0, n));
                var data = Enumerable.Range(0, channels).Select(c => all.Where((_, i) => i % channels == c).ToArray()).ToArray();
                return new WavAudio(reader.WaveFormat.SampleRate, data);
            }
            catch (Exception e) when (e is FormatException or EndOfStreamException or InvalidDataException)
            {
                throw new AudioFormatException($"{path}: not a readable WAV file ({e.Message})");
            }
        }

        public static void WritePcm16(string path, ReadOnlySpan<float> samples, int sampleRate)
        {
            using var writer = new WaveFileWriter(path, new WaveFormat(sampleRate, 16, 1));
            writer.WriteSamples(samples.ToArray(), 0, samples.Length);
        }
    }

    public static class Resampler
    {
        public static float[] Resample(float[] samples, int fromRate, int toRate) =>
            fromRate == toRate ? samples
            : Enumerable.Range(0, (int)((long)samples.Length * toRate / fromRate))
                .Select(i => samples[Math.Min(samples.Length - 1, (int)((long)i * fromRate / toRate))]).ToArray();
    }
}

namespace TfCrnn.Data
{
    using TfCrnn.Audio;

    public sealed record Clip(string RelativePath, string Label, int LabelIndex, Split Split);

    public sealed class DatasetException(string message) : TfCrnnException(message);

    public static class Preprocessing
    {
        public const float Scale = 0.0860f;
        public const int ClipSamples = 16000;
        public const int ShiftRange = 160;

        public static float[] Prepare(ReadOnlySpan<float> samples)
        {
            var result = new float[ClipSamples];
            var n = Math.Min(samples.Length, ClipSamples);
            var from = (samples.Length - n) / 2;
            var to = (ClipSamples - n) / 2;
            for (var i = 0; i < n; i++) result[to + i] = samples[from + i] / Scale;
            return result;
        }

        public static void Shift(ReadOnlySpan<float> clip, Span<float> destination, int offset)
        {
            destination.Clear();
            clip.Slice(offset, ClipSamples - ShiftRange).CopyTo(destination[(ShiftRange / 2)..]);
        }
    }

    public sealed record DatasetOptions
    {
        public bool UseCache { get; init; } = true;
        public string? CacheDirectory { get; init; }
    }

    public sealed class SpeechCommandsDataset : IDisposable
    {
        private readonly Dictionary<Split, List<Clip>> splits;
        private readonly ConcurrentDictionary<string, float[]> cache = new();

        private SpeechCommandsDataset(string source, List<Clip> clips)
        {
            Source = source;
            AllClips = clips;
            splits = Enum.GetValues<Split>().ToDictionary(s => s, s => clips.Where(c => c.Split == s).ToList());
        }

        public static SpeechCommandsDataset Open(string path, DatasetOptions? options = null, IProgress<TaskProgress>? progress = null)
        {
            if (!Directory.Exists(path)) throw new DatasetException($"{path}: dataset folder not found");
            HashSet<string> List(string name) => File.Exists(Path.Combine(path, name))
                ? File.ReadAllLines(Path.Combine(path, name)).Where(l => l.Length > 0).ToHashSet() : [];
            var valid = List("validation_list.txt");
            var test = List("testing_list.txt");
            var clips = Directory.EnumerateDirectories(path).Select(Path.GetFileName).OfType<string>()
                .Where(w => Labels.TryIndexOf(w, out _)).Order(StringComparer.Ordinal)
                .SelectMany(word => Directory.EnumerateFiles(Path.Combine(path, word), "*.wav").Order(StringComparer.Ordinal)
                    .Select(f => $"{word}/{Path.GetFileName(f)}")
                    .Select(rel => new Clip(rel, word, Labels.IndexOf(word),
                        valid.Contains(rel) ? Split.Valid : test.Contains(rel) ? Split.Test : Split.Train)))
                .ToList();
            return new SpeechCommandsDataset(path, clips);
        }

        public string Source { get; }
        public IReadOnlyList<Clip> Clips(Split split) => splits[split];
        public IReadOnlyList<Clip> AllClips { get; }

        public float[] ReadPreprocessed(Clip clip) => cache.GetOrAdd(clip.RelativePath,
            rel => Preprocessing.Prepare(WavFile.Read(Path.Combine(Source, rel)).FirstChannel()));

        public void Dispose() { }
    }

    public sealed record Batch(Tensor Waveforms, Tensor Labels, IReadOnlyList<Clip> Clips) : IDisposable
    {
        public void Dispose()
        {
            Waveforms.Dispose();
            Labels.Dispose();
        }
    }

    public sealed record BatchLoaderOptions(int BatchSize, bool Shuffle, bool DropLast, bool Augment, int Seed, int? Limit = null);

    public sealed class BatchLoader
    {
        private readonly SpeechCommandsDataset data;
        private readonly IReadOnlyList<Clip> clips;
        private readonly BatchLoaderOptions options;
        private readonly Device? device;

        public BatchLoader(SpeechCommandsDataset data, IReadOnlyList<Clip> clips, BatchLoaderOptions options, Device? device = null)
        {
            this.data = data;
            this.options = options;
            this.device = device;
            this.clips = options.Limit is int limit && limit < clips.Count
                ? clips.OrderBy(_ => 0).Take(limit).ToList() : clips;
        }

        public int BatchesPerEpoch => options.DropLast ? clips.Count / options.BatchSize
            : (clips.Count + options.BatchSize - 1) / options.BatchSize;

        public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellationToken = default)
        {
            var random = new Random(HashCode.Combine(options.Seed, epoch) & 0x7fffffff);
            var order = Enumerable.Range(0, clips.Count).ToArray();
            if (options.Shuffle) random.Shuffle(order);
            for (var b = 0; b < BatchesPerEpoch; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var indices = order.Skip(b * options.BatchSize).Take(options.BatchSize).ToArray();
                var waves = new float[indices.Length * Preprocessing.ClipSamples];
                for (var i = 0; i < indices.Length; i++)
                {
                    var clip = data.ReadPreprocessed(clips[indices[i]]);
                    var target = waves.AsSpan(i * Preprocessing.ClipSamples, Preprocessing.ClipSamples);
                    if (options.Augment) Preprocessing.Shift(clip, target, random.Next(Preprocessing.ShiftRange));
                    else clip.CopyTo(target);
                }
                var batchClips = indices.Select(i => clips[i]).ToList();
                yield return new Batch(
                    tensor(waves, [indices.Length, 1, Preprocessing.ClipSamples], device: device),
                    tensor(batchClips.Select(c => (long)c.LabelIndex).ToArray(), device: device),
                    batchClips);
            }
        }
    }
}

namespace TfCrnn.Models
{
    public abstract class SpeechCommandModel(string name, ModelConfig config) : nn.Module<Tensor, ModelOutput>(name)
    {
        public ModelConfig Config { get; } = config;
        public override ModelOutput forward(Tensor waveforms) => Forward(waveforms, ForwardExtras.None);
        public abstract ModelOutput Forward(Tensor waveforms, ForwardExtras extras);
    }

    public static class ModelFactory
    {
        public static SpeechCommandModel Create(ModelConfig config) => new TinyWindowModel(config.Validate());

        /// <summary>(steps, B, classes) from a conv + BN + pool + linear per window.</summary>
        private sealed class TinyWindowModel : SpeechCommandModel
        {
            private readonly TorchSharp.Modules.Conv1d conv;
            private readonly TorchSharp.Modules.BatchNorm1d norm;
            private readonly TorchSharp.Modules.Dropout dropout;
            private readonly TorchSharp.Modules.Linear classifier;

            public TinyWindowModel(ModelConfig config) : base("tiny", config)
            {
                conv = nn.Conv1d(1, config.Width, 9, stride: 3);
                norm = nn.BatchNorm1d(config.Width);
                dropout = nn.Dropout(0.1);
                classifier = nn.Linear(config.Width * 2L, config.Classes);
                RegisterComponents();
            }

            public override ModelOutput Forward(Tensor waveforms, ForwardExtras extras)
            {
                var windows = waveforms.unfold(2, Config.IsRecurrent ? Config.Window : Config.ClipSamples,
                    Config.IsRecurrent ? Config.Hop : Config.ClipSamples); // (B,1,S,W)
                var steps = new List<Tensor>();
                for (var s = 0; s < windows.shape[2]; s++)
                {
                    var y = nn.functional.relu(norm.forward(conv.forward(windows[.., .., s])));
                    var pooled = cat([y.amax([2L]), y.mean([2L])], 1);
                    steps.Add(classifier.forward(dropout.forward(pooled)));
                }
                return new ModelOutput(stack(steps), null, [], null);
            }
        }
    }

}

namespace TfCrnn.Interop
{
    using TfCrnn.Models;

    public sealed class CheckpointException(string message) : TfCrnnException(message);

    public static class PyTorchWeights
    {
        public static void Load(SpeechCommandModel model, string path)
        {
            try { model.load_py(path, strict: true); }
            catch (Exception e) when (e is not TfCrnnException)
            {
                throw new CheckpointException($"{path}: cannot load weights ({e.Message})");
            }
        }

        public static void Save(SpeechCommandModel model, string path) => model.save_py(path);
    }

    public static class SafetensorsWeights
    {
        public static void Load(SpeechCommandModel model, string path) => model.load_safetensors(path);

        public static void Save(SpeechCommandModel model, string path) => model.save_safetensors(path);
    }

    public static class ModelFolder
    {
        public static void Save(SpeechCommandModel model, string directory)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "config.json"), model.Config.ToJson());
            PyTorchWeights.Save(model, Path.Combine(directory, "model.pt"));
        }

        public static SpeechCommandModel Load(string directory)
        {
            var configPath = Path.Combine(directory, "config.json");
            if (!File.Exists(configPath)) throw new CheckpointException($"{configPath}: missing");
            ModelConfig config;
            try { config = ModelConfig.FromJson(File.ReadAllText(configPath)); }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
            {
                throw new CheckpointException($"{configPath}: {e.Message}");
            }
            var model = ModelFactory.Create(config);
            PyTorchWeights.Load(model, Path.Combine(directory, "model.pt"));
            return model;
        }
    }
}

namespace TfCrnn.Synthesis
{
    using TfCrnn.Audio;
    using TfCrnn.Data;

    public sealed record SynthesisOptions
    {
        public const int DefaultClipsPerWord = 60;
        public required string OutputDirectory { get; init; }
        public int ClipsPerWord { get; init; } = DefaultClipsPerWord;
        public int Seed { get; init; }
        public int Threads { get; init; } = 2;
    }

    public sealed record SynthesisResult(int Clips, int Speakers, int Train, int Valid, int Test);

    /// <summary>Stand-in: tones instead of espeak-ng speech.</summary>
    public static class DatasetSynthesizer
    {
        public static Task<SynthesisResult> RunAsync(SynthesisOptions options, IProgress<TaskProgress>? progress = null,
            CancellationToken cancellationToken = default)
        {
            var random = new Random(options.Seed);
            var valid = new List<string>();
            var test = new List<string>();
            for (var w = 0; w < Labels.Count; w++)
            {
                Directory.CreateDirectory(Path.Combine(options.OutputDirectory, Labels.All[w]));
                for (var i = 0; i < options.ClipsPerWord; i++)
                {
                    var relative = $"{Labels.All[w]}/{i:x8}_nohash_0.wav";
                    var f = 150 + 40 * w;
                    WavFile.WritePcm16(Path.Combine(options.OutputDirectory, relative),
                        Enumerable.Range(0, 16000).Select(t => (float)(0.1 * Math.Sin(2 * Math.PI * f * t / 16000) + 0.01 * random.NextDouble())).ToArray(), 16000);
                    if (i % 10 == 1) valid.Add(relative);
                    if (i % 10 == 2) test.Add(relative);
                }
            }
            File.WriteAllLines(Path.Combine(options.OutputDirectory, "validation_list.txt"), valid);
            File.WriteAllLines(Path.Combine(options.OutputDirectory, "testing_list.txt"), test);
            return Task.FromResult(new SynthesisResult(Labels.Count * options.ClipsPerWord, 1, 0, valid.Count, test.Count));
        }
    }
}
