using System.Threading.Channels;
using TfCrnn.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Data;

/// <summary>
/// Cuts clips into batches of tensors. The order and the augmentation of an epoch are a pure function of
/// (seed, epoch), and each clip's augmentation of (seed, epoch, position in the epoch), so a resumed run sees
/// the same data. A background task reads and augments the next batches and makes their tensors while the
/// caller works on the current one.
/// </summary>
public sealed class BatchLoader
{
    private const int PrefetchBatches = 4;

    private readonly SpeechCommandsDataset data;
    private readonly IReadOnlyList<Clip> clips;
    private readonly BatchLoaderOptions options;
    private readonly Device? device;
    private readonly AugmentationRecipe recipe;
    private readonly IReadOnlyList<float[]> noiseRecordings;

    /// <param name="noiseRecordings">16 kHz recordings for the noise augmentation (the dataset's <c>_background_noise_</c>);
    /// without them it uses generated noise and babble of the loader's clips.</param>
    public BatchLoader(SpeechCommandsDataset data, IReadOnlyList<Clip> clips, BatchLoaderOptions options, Device? device = null,
        IReadOnlyList<float[]>? noiseRecordings = null)
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
        this.noiseRecordings = noiseRecordings ?? [];
        this.clips = options.Limit is { } limit && limit < clips.Count ? Subset(clips, limit, options.Seed) : clips;
    }

    /// <summary>The clips this loader draws from (the subset when <see cref="BatchLoaderOptions.Limit"/> is set).</summary>
    public IReadOnlyList<Clip> Clips => clips;

    public int BatchesPerEpoch => options.DropLast
        ? clips.Count / options.BatchSize
        : (clips.Count + options.BatchSize - 1) / options.BatchSize;

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

    /// <summary>The clip order and per-position shift offsets of an epoch.</summary>
    private (int[] Order, int[] Offsets) Plan(int epoch)
    {
        var random = new Random(Seeds.Mix(options.Seed, epoch));
        var order = Enumerable.Range(0, clips.Count).ToArray();
        if (options.Shuffle)
            random.Shuffle(order);
        var offsets = new int[order.Length];
        if (options.Augment && recipe.Shift)
            for (var i = 0; i < offsets.Length; i++)
                offsets[i] = random.Next(Preprocessing.ShiftRange);
        return (order, offsets);
    }

    /// <summary>
    /// The seed of the clip at <paramref name="position"/> of <paramref name="epoch"/>'s order: a stream of the
    /// user's seed that neither the epochs' plans (0, 1, ...) nor the subset (−1) use.
    /// </summary>
    internal static int ClipSeed(int seed, int epoch, int position) => Seeds.Mix(seed, ((long)epoch + 1) << 32 | (uint)position);

    /// <summary>Reads, preprocesses, augments and turns into tensors the batches of an epoch, off the training thread.</summary>
    private void Produce(int epoch, (int[] Order, int[] Offsets) plan, ChannelWriter<Batch> writer, CancellationToken cancellationToken)
    {
        try
        {
            var augmenter = options.Augment && recipe.HasTransforms
                ? new ClipAugmenter(recipe, new NoiseSources(noiseRecordings, i => data.ReadSamples(clips[i]), clips.Count))
                : null;
            var scratch = new float[Preprocessing.ClipSamples];
            // torch.tensor copies, so one full-batch buffer serves the whole epoch.
            var full = new float[options.BatchSize * Preprocessing.ClipSamples];
            for (var index = 0; index < BatchesPerEpoch; index++)
            {
                var start = index * options.BatchSize;
                var size = Math.Min(options.BatchSize, plan.Order.Length - start);
                var samples = size == options.BatchSize ? full : new float[size * Preprocessing.ClipSamples];
                var labels = new long[size];
                var members = new Clip[size];
                for (var i = 0; i < size; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var clip = members[i] = clips[plan.Order[start + i]];
                    labels[i] = clip.LabelIndex;
                    var destination = samples.AsSpan(i * Preprocessing.ClipSamples, Preprocessing.ClipSamples);
                    if (options.Augment)
                    {
                        Preprocessing.Prepare(data.ReadSamples(clip), scratch);
                        augmenter?.Apply(scratch, ClipSeed(options.Seed, epoch, start + i));
                        if (recipe.Shift)
                            Preprocessing.Shift(scratch, destination, plan.Offsets[start + i]);
                        else
                            scratch.CopyTo(destination);
                    }
                    else
                    {
                        Preprocessing.Prepare(data.ReadSamples(clip), destination);
                    }
                }
                var batch = ToBatch(samples, labels, members);
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

    private Batch ToBatch(float[] samples, long[] labelIndices, Clip[] members)
    {
        var waveforms = torch.tensor(samples, [members.Length, 1, Preprocessing.ClipSamples]);
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
