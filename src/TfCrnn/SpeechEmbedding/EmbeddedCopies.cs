using TfCrnn.Data;
using TfCrnn.Progress;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.SpeechEmbedding;

/// <summary>
/// The speech embeddings of a training set's fixed copies (<see cref="ClipCopies"/>): every clip's copies and the noise
/// pool, embedded where the cache lacks them and read from it, as a <see cref="BatchLoader"/>'s examples.
/// </summary>
internal sealed class EmbeddedCopies : IExampleFeatures
{
    /// <summary>How the progress reports name the embedding of the copies.</summary>
    public const string EmbeddingTask = "embedding clip copies";

    /// <summary>
    /// The last progress report's task: how many of the copies the encoder embedded, the others coming from the cache
    /// (reported complete, so that every progress display prints it).
    /// </summary>
    public static string ComputedTask(int computed, int total) =>
        $"clip copies embedded: {computed} by the encoder, {total - computed} from the embedding cache";

    private readonly EmbeddingCache cache;
    private readonly UInt128[] keys;
    private readonly int clips;

    private EmbeddedCopies(EmbeddingCache cache, UInt128[] keys, int clips, int copies, int silenceItems, int computed)
    {
        Computed = computed;
        this.cache = cache;
        this.keys = keys;
        this.clips = clips;
        Copies = copies;
        SilenceItems = silenceItems;
    }

    public IReadOnlyList<long> Shape { get; } = [ClipSteps, Dimensions];

    public int Copies { get; }

    public int SilenceItems { get; }

    /// <summary>How many of the copies and pool items the encoder embedded (the others were in the cache).</summary>
    public int Computed { get; }

    /// <summary>
    /// Embeds what the cache lacks of <paramref name="copies"/> (clip 0's copies, clip 1's, …, then the pool) on the front
    /// end's threads, reporting <see cref="EmbeddingTask"/> and, at the end, <see cref="ComputedTask"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">After writing the embeddings computed so far to the cache.</exception>
    public static EmbeddedCopies Build(SpeechEmbeddingFrontEnd frontEnd, ClipCopies copies, IProgress<TaskProgress>? progress,
        CancellationToken cancellationToken)
    {
        var clipItems = copies.Clips * copies.Copies;
        using var scratch = new ThreadLocal<float[]>(() => new float[ClipSamples]);
        var keys = frontEnd.Ensure(clipItems + copies.SilenceItems, (item, samples) =>
        {
            var input = scratch.Value!;
            if (item < clipItems)
                copies.Write(item / copies.Copies, item % copies.Copies, input);
            else
                copies.WriteSilence(item - clipItems, input);
            SpeechEmbeddingFrontEnd.FromModelInput(input, samples);
        }, EmbeddingTask, out var computed, progress, cancellationToken);
        progress?.Report(new TaskProgress(ComputedTask(computed, keys.Length), keys.Length, keys.Length));
        return new EmbeddedCopies(frontEnd.Cache, keys, copies.Clips, copies.Copies, copies.SilenceItems, computed);
    }

    public void Write(int clip, int copy, Span<float> destination) => cache.Stored(keys[clip * Copies + copy]).CopyTo(destination);

    public void WriteSilence(int item, Span<float> destination) => cache.Stored(keys[clips * Copies + item]).CopyTo(destination);

    /// <summary>The per-dimension mean and (sample) deviation of every step of every copy and pool item: the input standardisation.</summary>
    public (float[] Mean, float[] Deviation) Statistics()
    {
        var sum = new double[Dimensions];
        var squares = new double[Dimensions];
        foreach (var key in keys)
        {
            var values = cache.Stored(key);
            for (var i = 0; i < values.Length; i++)
            {
                double v = values[i];
                sum[i % Dimensions] += v;
                squares[i % Dimensions] += v * v;
            }
        }
        var n = (double)keys.Length * ClipSteps;
        var mean = sum.Select(s => (float)(s / n)).ToArray();
        var deviation = sum.Zip(squares, (s, q) => (float)Math.Sqrt(Math.Max(0, (q - s * s / n) / Math.Max(1, n - 1)))).ToArray();
        return (mean, deviation);
    }
}
