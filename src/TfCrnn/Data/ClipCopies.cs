using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TfCrnn.Data.Augmentation;
using TfCrnn.Progress;

namespace TfCrnn.Data;

/// <summary>
/// The fixed copies of a training set's clips that a frozen front end is computed on once (issue 33): copy 0 is the clip
/// as evaluation sees it; copies 1 … K−1 are augmented as training augments a waveform (the recipe's transforms, the
/// paper's shift, and for a task with rejection classes the background mix of <see cref="RejectionMix"/>), each drawn from
/// (the seed, the clip's content, the copy), never from the epoch or the clip's place in the dataset; and a pool of
/// background-noise slices, augmented alike, for the rejection draws' silence. Noise recordings and the other clips that
/// babble and neighbouring speech take are drawn by content (<see cref="ContentRing"/>), so that datasets sharing most
/// clips and recordings mostly give the same copies. Model input scale (<see cref="Preprocessing.InputScale"/>).
/// Thread-safe: each thread augments with its own <see cref="ClipAugmenter"/>.
/// </summary>
internal sealed class ClipCopies : IDisposable
{
    // Random streams of the copies and of the pool, far from those of BatchLoader.
    private const long CopyStream = 3L << 40;
    private const long SilenceStream = 4L << 40;

    private readonly SpeechCommandsDataset data;
    private readonly IReadOnlyList<Clip> clips;
    private readonly ulong[] contentKeys;
    private readonly AugmentationRecipe recipe;
    private readonly RejectionMix? mix;
    private readonly int seed;
    private readonly IReadOnlyList<float[]> recordings;
    private readonly ContentRing recordingRing;
    private readonly ThreadLocal<ClipAugmenter?> augmenters;

    /// <param name="clips">The clips, in the order their copies are asked for (a <see cref="BatchLoader"/>'s).</param>
    /// <param name="copies">Copies per clip, the clean one included.</param>
    /// <param name="silenceItems">Noise slices in the pool.</param>
    /// <param name="mix">The background mix and noise recordings of a task with rejection classes; null: none.</param>
    /// <param name="threads">Threads that read the clips for their content keys.</param>
    /// <param name="progress">Progress of reading the clips for their content keys.</param>
    public ClipCopies(SpeechCommandsDataset data, IReadOnlyList<Clip> clips, int copies, int silenceItems, AugmentationRecipe recipe,
        RejectionMix? mix, int seed, int threads = 1, IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(silenceItems);
        this.data = data;
        this.clips = clips;
        Copies = copies;
        SilenceItems = silenceItems;
        this.recipe = recipe.Validate();
        this.mix = mix;
        this.seed = seed;
        contentKeys = ContentKeys(data, clips, threads, progress, cancellationToken);
        recordings = [.. BatchLoader.NoiseRecordings(data).Where(r => r.Length > 0)];
        recordingRing = new ContentRing([.. recordings.Select(r => ContentKey(r))]);
        var speechRing = clips.Count > 0 ? new ContentRing(contentKeys) : null;
        var datasetRecordings = data.BackgroundNoise.Where(r => r.Length > 0).ToList();
        var datasetRing = datasetRecordings.Count > 0 ? new ContentRing([.. datasetRecordings.Select(r => ContentKey(r))]) : null;
        augmenters = new ThreadLocal<ClipAugmenter?>(() => recipe.HasTransforms
            ? new ClipAugmenter(recipe, new NoiseSources(datasetRecordings, i => data.ReadSamples(clips[i]), clips.Count,
                pickRecording: datasetRing is null ? null : datasetRing.Pick, pickSpeech: speechRing is null ? null : speechRing.Pick))
            : null);
    }

    /// <summary>Clips.</summary>
    public int Clips => clips.Count;

    /// <summary>Copies per clip, the clean one (copy 0) included.</summary>
    public int Copies { get; }

    /// <summary>Noise slices in the pool.</summary>
    public int SilenceItems { get; }

    /// <summary>Copy <paramref name="copy"/> of clip <paramref name="clip"/> (16,000 samples, model input scale).</summary>
    public void Write(int clip, int copy, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(copy, Copies);
        var samples = data.ReadSamples(clips[clip]);
        if (copy == 0)
        {
            Preprocessing.Prepare(samples, destination);
            return;
        }
        var random = new Random(Seeds.Mix(Seeds.Mix(seed, (long)contentKeys[clip]), CopyStream + copy));
        Span<float> scratch = new float[Preprocessing.ClipSamples];
        Preprocessing.Prepare(samples, scratch);
        augmenters.Value?.Apply(scratch, random.Next());
        if (recipe.Shift)
            Preprocessing.Shift(scratch, destination, random.Next(Preprocessing.ShiftRange));
        else
            scratch.CopyTo(destination);
        if (mix is { BackgroundFrequency: > 0 } && random.NextDouble() < mix.BackgroundFrequency)
            AddRecording(destination, random, mix.BackgroundVolume);
    }

    /// <summary>The pool's noise slice <paramref name="item"/>: a second of a recording at a gain drawn from [0, 1], augmented.</summary>
    public void WriteSilence(int item, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(item, SilenceItems);
        var random = new Random(Seeds.Mix(seed, SilenceStream + item));
        destination.Clear();
        AddRecording(destination, random, maxGain: 1);
        augmenters.Value?.Apply(destination, random.Next());
    }

    /// <summary>A random stretch of a recording at a gain drawn from [0, <paramref name="maxGain"/>], as the rejection draws mix it.</summary>
    private void AddRecording(Span<float> destination, Random random, double maxGain)
    {
        var recording = recordings[recordingRing.Pick(random)];
        var offset = random.Next(Math.Max(1, recording.Length - Preprocessing.ClipSamples + 1));
        BatchLoader.AddNoise(destination, recording, offset, (float)(random.NextDouble() * maxGain));
    }

    /// <summary>The first 64 bits of the SHA-256 of <paramref name="samples"/>' float32 bytes.</summary>
    private static ulong ContentKey(ReadOnlySpan<float> samples)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(MemoryMarshal.AsBytes(samples), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>Each clip's content key: the hash of its clean model input, as copy 0 is.</summary>
    private static ulong[] ContentKeys(SpeechCommandsDataset data, IReadOnlyList<Clip> clips, int threads, IProgress<TaskProgress>? progress,
        CancellationToken cancellationToken)
    {
        var keys = new ulong[clips.Count];
        var done = 0;
        const string task = "reading clips";
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken }, () => new float[Preprocessing.ClipSamples],
            (i, _, clip) =>
            {
                Preprocessing.Prepare(data.ReadSamples(clips[i]), clip);
                keys[i] = ContentKey(clip);
                if (Interlocked.Increment(ref done) % 2000 == 0) progress?.Report(new TaskProgress(task, done, clips.Count));
                return clip;
            }, _ => { });
        progress?.Report(new TaskProgress(task, clips.Count, clips.Count));
        return keys;
    }

    public void Dispose() => augmenters.Dispose();
}
