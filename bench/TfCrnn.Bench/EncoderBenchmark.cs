using System.Diagnostics;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models.SpeechEmbedding;
using TfCrnn.Runtime;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Training;
using static TorchSharp.torch;

namespace TfCrnn.Bench;

/// <summary>
/// <c>TfCrnn.Bench encoder --data DIR --dev DIR [--encoder DIR] [--heldout DIR] [--cache DIR] [--minutes 12] [--hidden 64]
/// [--feedback 1] [--seed 7] [--threads 1] [--predictions FILE]</c>: issue 27's third lever as a measured experiment. A frozen speech
/// embedding (<see cref="SpeechEmbeddingEncoder"/>, computed once per clip and cached) under a small head that keeps the
/// paper's idea (<see cref="EmbeddingHead"/>): a GRU over the embedding sequence whose previous state h(t-1) rescales the
/// 96 features of step t (the TF blocks' excitation from h(t-1)) before they enter the cell; the last step is classified
/// into the 35 words and <c>_none_</c>. Trained on <c>--data</c>'s training split for <c>--minutes</c> (best validation epoch kept), then scored
/// on <c>--dev</c> (35 words, and 12-label style as <see cref="TwelveLabelBenchmark"/> scores it; <c>--predictions</c>: each dev
/// clip's top word as CSV) and on <c>--heldout</c>.
/// </summary>
internal static class EncoderBenchmark
{
    private const int BatchSize = 64;

    public static int Run(string[] args)
    {
        var options = new BenchOptions(args);
        var models = EncoderFiles.Locate(options.String("--encoder"));
        var dataPath = options.String("--data") ?? throw new ArgumentException("--data DIR is required");
        var devPath = options.String("--dev") ?? throw new ArgumentException("--dev DIR is required");
        var heldoutPath = options.String("--heldout");
        var cache = options.String("--cache") ?? Path.Combine(Path.GetTempPath(), "tfcrnn-encoder-cache");
        var minutes = options.Int("--minutes", 12);
        var hiddenSize = options.Int("--hidden", 64);
        var feedback = options.Int("--feedback", 1) == 1;
        var seed = options.Int("--seed", 7);
        set_num_threads(options.Int("--threads", 1));
        manual_seed(seed);
        Directory.CreateDirectory(cache);
        var labels = LabelTasks.CommandsAndNone.Classes;
        var none = labels.IndexOf(LabelSet.None)!.Value;

        var embedClock = Stopwatch.StartNew();
        using var encoder = SpeechEmbeddingEncoder.Open(models);
        using var data = SpeechCommandsDataset.Open(dataPath);
        var random = new Random(seed);
        var train = Cached(Path.Combine(cache, "train.bin"), () => TrainingSet(encoder, data, labels, none, random));
        var valid = Cached(Path.Combine(cache, "valid.bin"), () => Embedded(encoder, data.Clips(Split.Valid)
            .Where(c => labels.ClassOf(c.Label) is not null).Select(c => (Centred(data.ReadSamples(c)), labels.ClassOf(c.Label)!.Value))));
        var devFiles = TwelveLabelBenchmark.Files(devPath);
        var dev = Cached(Path.Combine(cache, "dev.bin"), () => Embedded(encoder, devFiles.Select(f =>
            (Predictor.Load(f.Path).Waveform.Select(s => s / Preprocessing.InputScale).ToArray(), labels.IndexOf(f.Folder) ?? none))));
        EmbeddedSet? heldout = null;
        if (heldoutPath is not null)
        {
            using var heldoutData = SpeechCommandsDataset.Open(heldoutPath);
            heldout = Cached(Path.Combine(cache, "heldout.bin"), () => Embedded(encoder, heldoutData.AllClips
                .Where(c => labels.ClassOf(c.Label) is not null).Select(c => (Centred(heldoutData.ReadSamples(c)), labels.ClassOf(c.Label)!.Value))));
        }
        var embedSeconds = embedClock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"embeddings: train {train.Count}, valid {valid.Count}, dev {dev.Count}, heldout {heldout?.Count ?? 0}, {SpeechEmbeddingGeometry.ClipSteps} steps, {embedSeconds:F0} s");

        using var head = (EmbeddingHead)Models.ModelFactory.Create(Models.ModelConfig.For(feedback ? "embedding-tfgru" : "embedding-gru") with { HiddenSize = hiddenSize });
        using var optimizer = new ScalarSafeAdam(head.parameters(), 0.002);
        using var trainX = train.Tensor();
        // Standardise each embedding dimension with the training set's statistics.
        head.Standardise(trainX);
        using var trainY = tensor(train.Labels);
        using var validX = valid.Tensor();
        var best = (Accuracy: -1.0, Epoch: 0, State: head.parameters().Select(p => p.detach().clone()).ToList());
        var clock = Stopwatch.StartNew();
        var epoch = 0;
        var trainGenerator = new Generator().manual_seed(seed);
        while (clock.Elapsed.TotalMinutes < minutes)
        {
            epoch++;
            head.train();
            using var order = randperm(train.Count, generator: trainGenerator);
            var loss = 0.0;
            for (var start = 0; start < train.Count; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(BatchSize, train.Count - start));
                optimizer.zero_grad();
                var batchLoss = nn.functional.cross_entropy(head.forward(trainX.index_select(0, index)).Logits[-1], trainY.index_select(0, index));
                batchLoss.backward();
                optimizer.step();
                loss += batchLoss.item<float>() * index.shape[0];
            }
            var validAccuracy = Accuracy(head, validX, valid.Labels);
            if (validAccuracy > best.Accuracy)
            {
                foreach (var t in best.State) t.Dispose();
                best = (validAccuracy, epoch, head.parameters().Select(p => p.detach().clone()).ToList());
            }
            Console.Error.WriteLine($"epoch {epoch}: loss {loss / train.Count:F3}, valid {validAccuracy:P1}, {clock.Elapsed.TotalSeconds:F0} s");
        }
        var trainSeconds = clock.Elapsed.TotalSeconds;
        using (no_grad())
            foreach (var (p, b) in head.parameters().Zip(best.State))
                p.copy_(b);

        using var devX = dev.Tensor();
        var devTop = TopClasses(head, devX);
        var dev35 = devTop.Zip(dev.Labels).Count(p => p.First == p.Second) / (double)dev.Count;
        bool IsTen(string word) => TwelveLabelBenchmark.Keywords.Contains(word);
        var twelve = devFiles.Zip(devTop, (f, top) => (Keyword: IsTen(f.Folder), Correct: IsTen(f.Folder) ? labels[(int)top] == f.Folder : !IsTen(labels[(int)top]))).ToList();
        if (options.String("--predictions") is { } predictionsPath)
            IO.AtomicFile.WriteAllText(predictionsPath, "file,folder,top_word\n" + string.Concat(devFiles.Zip(devTop,
                (f, top) => $"{Path.GetRelativePath(devPath, f.Path)},{f.Folder},{labels[(int)top]}\n")));
        var result = new Dictionary<string, object>
        {
            ["benchmark"] = "encoder",
            ["head"] = feedback ? "GRU, features of step t rescaled by sigmoid excitation of h(t-1)" : "plain GRU (no feedback)",
            ["hidden"] = hiddenSize,
            ["head_parameters"] = head.parameters().Sum(p => p.numel()),
            ["train_examples"] = train.Count,
            ["steps"] = SpeechEmbeddingGeometry.ClipSteps,
            ["embedding_seconds"] = Math.Round(embedSeconds, 1),
            ["train_seconds"] = Math.Round(trainSeconds, 1),
            ["epochs"] = epoch,
            ["best_epoch"] = best.Epoch,
            ["valid_accuracy"] = best.Accuracy,
            ["dev_35_words"] = dev35,
            ["dev_12_keywords"] = twelve.Where(t => t.Keyword).Average(t => t.Correct ? 1.0 : 0.0),
            ["dev_12_other"] = twelve.Where(t => !t.Keyword).Average(t => t.Correct ? 1.0 : 0.0),
            ["dev_12_all"] = twelve.Average(t => t.Correct ? 1.0 : 0.0),
            ["dev_clips"] = dev.Count,
        };
        if (heldout is not null)
        {
            using var heldoutX = heldout.Tensor();
            result["heldout_accuracy"] = Accuracy(head, heldoutX, heldout.Labels);
            result["heldout_clips"] = heldout.Count;
        }
        foreach (var t in best.State) t.Dispose();
        BenchOptions.Print(result);
        return 0;
    }

    /// <summary>
    /// Each training clip twice (as it is, and shifted by up to ±100 ms with background noise mixed in at a gain up to
    /// 0.1, as the rejection recipe mixes it), plus one-second background-noise slices at a random volume as
    /// <c>_none_</c> (10 % of the examples, as TensorFlow's recipe draws silence).
    /// </summary>
    private static EmbeddedSet TrainingSet(SpeechEmbeddingEncoder encoder, SpeechCommandsDataset data, LabelSet labels, int none, Random random)
    {
        var noise = data.BackgroundNoise;
        float[] NoiseSlice()
        {
            var recording = noise[random.Next(noise.Count)];
            var start = random.Next(recording.Length - Preprocessing.ClipSamples);
            return recording[start..(start + Preprocessing.ClipSamples)];
        }
        var clips = data.Clips(Split.Train).Where(c => labels.ClassOf(c.Label) is not null).ToList();
        var examples = new List<(float[] Samples, int Label)>();
        foreach (var clip in clips)
        {
            var samples = Centred(data.ReadSamples(clip));
            var label = labels.ClassOf(clip.Label)!.Value;
            examples.Add((samples, label));
            var shift = random.Next(-1600, 1601);
            var gain = (float)random.NextDouble() * 0.1f;
            var slice = NoiseSlice();
            var augmented = new float[samples.Length];
            for (var i = 0; i < augmented.Length; i++)
            {
                var source = i - shift;
                augmented[i] = (source >= 0 && source < samples.Length ? samples[source] : 0) + gain * slice[i];
            }
            examples.Add((augmented, label));
        }
        for (var i = 0; i < examples.Count / 10; i++)
        {
            var volume = (float)random.NextDouble();
            examples.Add((NoiseSlice().Select(s => s * volume).ToArray(), none));
        }
        return Embedded(encoder, examples);
    }

    private static float[] Centred(float[] samples)
    {
        var clip = new float[Preprocessing.ClipSamples];
        ClipInput.Prepare(samples, clip, 1f);
        return clip;
    }

    private static EmbeddedSet Embedded(SpeechEmbeddingEncoder encoder, IEnumerable<(float[] Samples, int Label)> clips)
    {
        var embeddings = new List<float>();
        var labels = new List<long>();
        foreach (var (samples, label) in clips)
        {
            embeddings.AddRange(encoder.EmbedClip(samples));
            labels.Add(label);
            if (labels.Count % 500 == 0) Console.Error.WriteLine($"embedded {labels.Count}");
        }
        return new EmbeddedSet([.. embeddings], [.. labels], SpeechEmbeddingGeometry.ClipSteps);
    }

    /// <summary>The set cached at <paramref name="path"/>, or made and cached there.</summary>
    private static EmbeddedSet Cached(string path, Func<EmbeddedSet> make)
    {
        if (File.Exists(path))
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            var (count, steps) = (reader.ReadInt32(), reader.ReadInt32());
            var labels = Enumerable.Range(0, count).Select(_ => reader.ReadInt64()).ToArray();
            var values = Enumerable.Range(0, count * steps * SpeechEmbeddingGeometry.Dimensions).Select(_ => reader.ReadSingle()).ToArray();
            return new EmbeddedSet(values, labels, steps);
        }
        var set = make();
        var temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(set.Count);
            writer.Write(set.Steps);
            foreach (var l in set.Labels) writer.Write(l);
            foreach (var v in set.Values) writer.Write(v);
        }
        File.Move(temporary, path, overwrite: true);
        return set;
    }

    private static long[] TopClasses(EmbeddingHead head, Tensor x)
    {
        head.eval();
        using var _ = no_grad();
        using var output = head.forward(x);
        using var last = output.Logits[-1];
        using var top = last.argmax(-1);
        return top.data<long>().ToArray();
    }

    private static double Accuracy(EmbeddingHead head, Tensor x, long[] labels) =>
        TopClasses(head, x).Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;

    private sealed record EmbeddedSet(float[] Values, long[] Labels, int Steps)
    {
        public int Count => Labels.Length;

        /// <summary>(clips, steps, 96).</summary>
        public Tensor Tensor() => tensor(Values, [Count, Steps, SpeechEmbeddingGeometry.Dimensions]);
    }
}
