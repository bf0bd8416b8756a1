using System.Threading.Channels;
using TfCrnn.Audio;
using TfCrnn.Data.Augmentation;
using TfCrnn.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Data;

/// <summary>
/// Cuts the clips of a task into batches of tensors. The order, the augmentation and the rejection draws of an epoch
/// are a pure function of (seed, epoch), and each example's augmentation of (seed, epoch, position in the epoch), so a
/// resumed run sees the same data. A background task reads and augments the next batches and makes their tensors while
/// the caller works on the current one. For a model over a frozen front end (<see cref="Features"/>), an example is
/// one of its clip's fixed copies, drawn per epoch, instead of a waveform augmented afresh.
/// </summary>
internal sealed class BatchLoader
{
    private const int PrefetchBatches = 4;
    // Random streams of the rejection draws: far from the epoch numbers (0, 1, ...) and the subset's −1.
    private const long RejectionStream = 1L << 40;
    // Random stream of the copies a frozen front end's examples take each epoch.
    private const long CopyStream = 2L << 40;
    // Stand-in noise of the rejection draws when a dataset has no recordings: the generated colours at about a quiet
    // recording's level.
    private const double GeneratedNoiseRms = 0.1;

    private readonly SpeechCommandsDataset data;
    private readonly IReadOnlyList<Clip> clips;
    private readonly int[] targets;
    private readonly BatchLoaderOptions options;
    private readonly Device? device;
    private readonly AugmentationRecipe recipe;
    private readonly RejectionMix? rejection;
    private readonly int[] keywordClips;
    private readonly int[] otherClips;
    private readonly int? noiseClass;
    private readonly int unknownPerEpoch;
    private readonly int silencePerEpoch;
    private readonly Lazy<IReadOnlyList<float[]>> noise;

    public BatchLoader(SpeechCommandsDataset data, IReadOnlyList<Clip> clips, BatchLoaderOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(clips);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BatchSize, 0);
        if (options.Limit is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "Limit must not be negative");
        this.data = data;
        this.options = options;
        this.device = device;
        recipe = (options.Augmentation ?? AugmentationRecipe.Paper).Validate();
        var labels = options.Labels;
        var used = clips.Where(c => labels.ClassOf(c.Label) is not null).ToList();
        this.clips = options.Limit is { } limit && limit < used.Count ? Subset(used, limit, options.Seed) : used;
        targets = [.. this.clips.Select(c => labels.ClassOf(c.Label)!.Value)];
        rejection = labels.HasRejection ? options.Rejection?.Validate() : null;
        keywordClips = [.. Enumerable.Range(0, targets.Length).Where(i => labels.IsKeyword(targets[i]))];
        otherClips = [.. Enumerable.Range(0, targets.Length).Where(i => !labels.IsKeyword(targets[i]))];
        noiseClass = labels.NoiseClass();
        if (rejection is not null)
        {
            unknownPerEpoch = Math.Min(otherClips.Length, (int)Math.Round(rejection.UnknownPercent / 100 * keywordClips.Length));
            silencePerEpoch = noiseClass is null ? 0 : (int)Math.Round(rejection.SilencePercent / 100 * keywordClips.Length);
        }
        noise = new Lazy<IReadOnlyList<float[]>>(() => NoiseRecordings(data));
    }

    /// <summary>
    /// Where the examples' model input comes from when the model hears a frozen front end: the features of a clip's fixed
    /// copies and of a pool of noise slices (<see cref="IExampleFeatures"/>), set before the first epoch; null: waveforms.
    /// Each epoch, each example takes one of its clip's copies (when augmenting; else the clean copy 0) and each noise
    /// slice an item of the pool, drawn from (seed, epoch).
    /// </summary>
    public IExampleFeatures? Features { get; set; }

    /// <summary>The rejection draws' background-noise slices per epoch (0 without rejection classes).</summary>
    public int SilencePerEpoch => rejection is null ? 0 : silencePerEpoch;

    /// <summary>The noise recordings of the rejection draws: the dataset's, or generated colours when it has none.</summary>
    internal static IReadOnlyList<float[]> NoiseRecordings(SpeechCommandsDataset data) =>
        data.BackgroundNoise.Count > 0 ? data.BackgroundNoise : GeneratedNoise();

    /// <summary>The clips of the task this loader draws from (the subset when <see cref="BatchLoaderOptions.Limit"/> is set).</summary>
    public IReadOnlyList<Clip> Clips => clips;

    /// <summary>Examples in an epoch: every clip, or with rejection draws the keyword clips plus the drawn ones.</summary>
    public int ExamplesPerEpoch => rejection is null ? clips.Count : keywordClips.Length + unknownPerEpoch + silencePerEpoch;

    public int BatchesPerEpoch => options.DropLast
        ? ExamplesPerEpoch / options.BatchSize
        : (ExamplesPerEpoch + options.BatchSize - 1) / options.BatchSize;

    /// <summary>The batches of one epoch; the caller disposes each. Abandoning the enumeration stops the prefetch.</summary>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        var plan = Plan(epoch);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(PrefetchBatches)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        var producer = Task.Run(() => Produce(epoch, plan, channel.Writer, stop.Token), stop.Token);
        try
        {
            // Throws the producer's exception, if any, once its earlier batches are consumed.
            while (channel.Reader.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult())
                while (channel.Reader.TryRead(out var batch))
                    yield return batch;
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(CancellationToken.None); }
            catch (AggregateException) { }
            // Batches prefetched for a consumer that left early.
            while (channel.Reader.TryRead(out var unused))
                unused.Dispose();
        }
    }

    /// <summary>One example of an epoch.</summary>
    /// <param name="Clip">Index into <see cref="clips"/>, or −1 for a slice of noise alone.</param>
    /// <param name="Shift">The paper's training shift offset (augmenting with it only).</param>
    /// <param name="Noise">Noise recording mixed in (the whole content for a noise slice), or −1.</param>
    /// <param name="Copy">With <see cref="Features"/>: the clip's copy, or the noise slice's item of the pool.</param>
    private readonly record struct Example(int Clip, int Target, int Shift = 0, int Noise = -1, int NoiseOffset = 0, float NoiseGain = 0,
        int Copy = 0);

    /// <summary>The examples of an epoch, in batch order.</summary>
    private Example[] Plan(int epoch)
    {
        Example[] examples;
        Random? draws = null;
        if (rejection is null)
        {
            examples = [.. Enumerable.Range(0, clips.Count).Select(i => new Example(i, targets[i]))];
        }
        else
        {
            draws = new Random(Seeds.Mix(options.Seed, RejectionStream + epoch));
            var others = (int[])otherClips.Clone();
            for (var i = 0; i < unknownPerEpoch; i++)
            {
                var j = draws.Next(i, others.Length);
                (others[i], others[j]) = (others[j], others[i]);
            }
            examples =
            [
                .. keywordClips.Select(i => new Example(i, targets[i])),
                .. others.Take(unknownPerEpoch).Select(i => new Example(i, targets[i])),
                .. Enumerable.Range(0, silencePerEpoch).Select(_ => NoiseSlice(draws, noiseClass!.Value)),
            ];
        }

        var random = new Random(Seeds.Mix(options.Seed, epoch));
        if (options.Shuffle)
            random.Shuffle(examples);
        if (options.Augment && recipe.Shift)
            for (var i = 0; i < examples.Length; i++)
                examples[i] = examples[i] with { Shift = random.Next(Preprocessing.ShiftRange) };
        if (draws is not null && options.Augment && rejection!.BackgroundFrequency > 0)
            for (var i = 0; i < examples.Length; i++)
                if (examples[i].Clip >= 0 && draws.NextDouble() < rejection.BackgroundFrequency)
                    examples[i] = WithNoise(examples[i], draws, rejection.BackgroundVolume);
        if (Features is { } features)
        {
            var copies = new Random(Seeds.Mix(options.Seed, CopyStream + epoch));
            for (var i = 0; i < examples.Length; i++)
                examples[i] = examples[i] with
                {
                    Copy = examples[i].Clip < 0 ? copies.Next(features.SilenceItems) : options.Augment ? copies.Next(features.Copies) : 0,
                };
        }
        return examples;
    }

    /// <summary>A one-second slice of a random recording at a gain drawn from [0, 1], as TensorFlow makes its silence.</summary>
    private Example NoiseSlice(Random random, int target) => WithNoise(new Example(-1, target), random, 1);

    private Example WithNoise(Example example, Random random, double maxGain)
    {
        var recording = random.Next(noise.Value.Count);
        return example with
        {
            Noise = recording,
            NoiseOffset = random.Next(Math.Max(1, noise.Value[recording].Length - Preprocessing.ClipSamples + 1)),
            NoiseGain = (float)(random.NextDouble() * maxGain),
        };
    }

    /// <summary>
    /// The seed of the example at <paramref name="position"/> of <paramref name="epoch"/>'s order: a stream of the
    /// user's seed that neither the epochs' plans (0, 1, ...), the subset (−1) nor the rejection draws use.
    /// </summary>
    internal static int ClipSeed(int seed, int epoch, int position) => Seeds.Mix(seed, ((long)epoch + 1) << 32 | (uint)position);

    /// <summary>Reads, preprocesses, augments and turns into tensors the batches of an epoch, off the training thread.</summary>
    private void Produce(int epoch, Example[] plan, ChannelWriter<Batch> writer, CancellationToken cancellationToken)
    {
        try
        {
            var augmenter = options.Augment && recipe.HasTransforms
                ? new ClipAugmenter(recipe, new NoiseSources(data.BackgroundNoise, i => data.ReadSamples(clips[i]), clips.Count))
                : null;
            var scratch = new float[Preprocessing.ClipSamples];
            var features = Features;
            long[] exampleShape = features is null ? [1, Preprocessing.ClipSamples] : [.. features.Shape];
            var values = (int)exampleShape.Aggregate(1L, (a, b) => a * b);
            // torch.tensor copies, so one full-batch buffer serves the whole epoch.
            var full = new float[options.BatchSize * values];
            for (var index = 0; index < BatchesPerEpoch; index++)
            {
                var start = index * options.BatchSize;
                var size = Math.Min(options.BatchSize, plan.Length - start);
                var inputs = size == options.BatchSize ? full : new float[size * values];
                var labels = new long[size];
                var members = new Clip[size];
                for (var i = 0; i < size; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var example = plan[start + i];
                    labels[i] = example.Target;
                    var destination = inputs.AsSpan(i * values, values);
                    members[i] = features is null
                        ? Write(example, destination, scratch, augmenter, ClipSeed(options.Seed, epoch, start + i))
                        : WriteFeatures(example, features, destination);
                }
                var batch = ToBatch(inputs, exampleShape, labels, members);
                if (!writer.TryWrite(batch))
                {
                    try { writer.WriteAsync(batch, cancellationToken).AsTask().GetAwaiter().GetResult(); }
                    catch { batch.Dispose(); throw; }
                }
            }
            writer.Complete();
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    /// <summary>The features of an example's copy (or pool item) into <paramref name="destination"/>; returns the clip it stands for.</summary>
    private Clip WriteFeatures(Example example, IExampleFeatures features, Span<float> destination)
    {
        if (example.Clip < 0)
        {
            features.WriteSilence(example.Copy, destination);
            return NoiseClip($"pool/{example.Copy}");
        }
        features.Write(example.Clip, example.Copy, destination);
        return clips[example.Clip];
    }

    private Clip NoiseClip(string name) =>
        new($"{SpeechCommandsDataset.BackgroundNoiseFolder}/{name}", SpeechCommandsDataset.BackgroundNoiseFolder,
            clips.Count > 0 ? clips[0].Split : Split.Train);

    /// <summary>
    /// Writes an example's model input into <paramref name="destination"/>; returns the clip it stands for. A speech clip
    /// is augmented, shifted, then gets its background mix; a noise slice is augmented too, so that no transform's mark
    /// (level, band, reverberation) tells the rejection classes apart.
    /// </summary>
    private Clip Write(Example example, Span<float> destination, float[] scratch, ClipAugmenter? augmenter, int seed)
    {
        if (example.Clip < 0)
        {
            destination.Clear();
            AddNoise(destination, noise.Value[example.Noise], example.NoiseOffset, example.NoiseGain);
            augmenter?.Apply(destination, seed);
            return NoiseClip($"{example.Noise}@{example.NoiseOffset}");
        }
        var clip = clips[example.Clip];
        if (options.Augment)
        {
            Preprocessing.Prepare(data.ReadSamples(clip), scratch);
            augmenter?.Apply(scratch, seed);
            if (recipe.Shift)
                Preprocessing.Shift(scratch, destination, example.Shift);
            else
                scratch.CopyTo(destination);
        }
        else
        {
            Preprocessing.Prepare(data.ReadSamples(clip), destination);
        }
        if (example.Noise >= 0)
            AddNoise(destination, noise.Value[example.Noise], example.NoiseOffset, example.NoiseGain);
        return clip;
    }

    /// <summary>Adds <c>gain · recording[offset…]</c> (repeated when shorter than a clip), scaled like the input, clipped to full scale.</summary>
    internal static void AddNoise(Span<float> destination, float[] recording, int offset, float gain)
    {
        if (recording.Length == 0) return;
        const float fullScale = Preprocessing.InputScale;
        var g = gain * Preprocessing.InputScale;
        for (var i = 0; i < destination.Length; i++)
            destination[i] = Math.Clamp(destination[i] + g * recording[(offset + i) % recording.Length], -fullScale, fullScale);
    }

    private static IReadOnlyList<float[]> GeneratedNoise() =>
        [.. Enum.GetValues<NoiseColor>().Select(color =>
        {
            var samples = (float[])NoiseSources.Generated(color).Clone();
            Mixing.Scale(samples, GeneratedNoiseRms);
            return samples;
        })];

    private Batch ToBatch(float[] inputs, long[] exampleShape, long[] labelIndices, Clip[] members)
    {
        var waveforms = torch.tensor(inputs, [members.Length, .. exampleShape]);
        var labels = torch.tensor(labelIndices, [members.Length]);
        if (device is not null && device.type != DeviceType.CPU)
        {
            using (waveforms)
            using (labels)
                return new Batch(waveforms.to(device), labels.to(device), members);
        }
        return new Batch(waveforms, labels, members);
    }

    private static IReadOnlyList<Clip> Subset(IReadOnlyList<Clip> clips, int limit, int seed)
    {
        // Epochs use seeds mixed with their number (0, 1, ...); the subset uses a stream no epoch reaches.
        var order = Enumerable.Range(0, clips.Count).ToArray();
        new Random(Seeds.Mix(seed, -1)).Shuffle(order);
        return order.Take(limit).Order().Select(i => clips[i]).ToList();
    }
}
