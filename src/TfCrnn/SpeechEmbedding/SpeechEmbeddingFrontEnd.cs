using TfCrnn.Data;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime.SpeechEmbedding;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.SpeechEmbedding;

/// <summary>Where the frozen speech-embedding front end finds its encoder and cache (<c>--encoder</c>, <c>--embedding-cache</c>, <c>--threads</c>).</summary>
/// <param name="EncoderDirectory">A folder holding the encoder's two files (<c>--encoder</c>); null: the per-user cache that <c>tfcrnn encoder install</c> fills.</param>
/// <param name="CacheRoot">The embedding cache's root (<c>--embedding-cache</c>); null: <see cref="EmbeddingCache.DefaultRoot"/>.</param>
/// <param name="Threads">Threads that embed side by side; 0: one per physical core.</param>
internal sealed record FrontEndOptions(string? EncoderDirectory = null, string? CacheRoot = null, int Threads = 1);

/// <summary>
/// The frozen speech-embedding front end as training and inference run it: one-second waveforms in, their 16 × 96
/// embeddings out (<see cref="SpeechEmbeddingEncoder"/>), looked up in the content-addressed <see cref="EmbeddingCache"/>
/// and computed only where missing, on several threads (each embedding one clip per network call on one ONNX Runtime
/// thread: bench/results/real-speech.md, "The front end's cost").
/// </summary>
internal sealed class SpeechEmbeddingFrontEnd : IDisposable
{
    private readonly SpeechEmbeddingEncoder encoder;

    private SpeechEmbeddingFrontEnd(SpeechEmbeddingEncoder encoder, EmbeddingCache cache, int threads)
    {
        this.encoder = encoder;
        Cache = cache;
        Threads = threads;
    }

    /// <summary>The cache the embeddings are kept in.</summary>
    public EmbeddingCache Cache { get; }

    /// <summary>Threads that embed side by side.</summary>
    public int Threads { get; }

    /// <summary>Opens the encoder (checked against its pinned SHA-256) and the cache.</summary>
    /// <exception cref="TfCrnnException">The encoder is not installed or not the pinned files; the message names <c>tfcrnn encoder install</c>.</exception>
    public static SpeechEmbeddingFrontEnd Open(FrontEndOptions options) => Open(EncoderFiles.Locate(options.EncoderDirectory), options);

    /// <summary>Opens the encoder in <paramref name="encoderDirectory"/> as it is (the tests' stand-in has no pinned hash) and the cache.</summary>
    internal static SpeechEmbeddingFrontEnd Open(string encoderDirectory, FrontEndOptions options)
    {
        var cache = EmbeddingCache.Open(options.CacheRoot, encoderDirectory);
        try
        {
            return new SpeechEmbeddingFrontEnd(SpeechEmbeddingEncoder.Open(encoderDirectory, threads: 1), cache, TorchThreads.Count(options.Threads));
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes sure the cache holds the embeddings of <paramref name="count"/> waveforms and returns their keys: each is
    /// written by <paramref name="waveform"/> (index, 16,000 samples in [-1, 1], cleared before), keyed by its content
    /// and embedded when the cache lacks it. Ends with every entry written (<see cref="EmbeddingCache.Stored"/> reads them).
    /// </summary>
    /// <param name="task">What the progress reports call the waveforms: <c>embedding clip copies</c>.</param>
    /// <param name="computed">How many the encoder embedded (the others came from the cache).</param>
    /// <exception cref="OperationCanceledException">After writing the embeddings computed so far.</exception>
    public UInt128[] Ensure(int count, Action<int, Span<float>> waveform, string task, out int computed,
        IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var keys = new UInt128[count];
        // Equal waveforms in one call (a clip twice, silent copies) are embedded once: the first thread to claim a key does it.
        var claimed = new System.Collections.Concurrent.ConcurrentDictionary<UInt128, bool>();
        var done = 0;
        var embedded = 0;
        var reportEvery = Math.Max(1, Math.Min(500, count / 100));
        progress?.Report(new TaskProgress(task, 0, count));
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Threads, CancellationToken = cancellationToken },
                () => new float[ClipSamples],
                (index, _, samples) =>
                {
                    Array.Clear(samples);
                    waveform(index, samples);
                    var key = EmbeddingCache.Key(samples);
                    keys[index] = key;
                    if (!Cache.Contains(key) && claimed.TryAdd(key, true))
                    {
                        Cache.Add(key, encoder.EmbedClip(samples));
                        Interlocked.Increment(ref embedded);
                    }
                    var finished = Interlocked.Increment(ref done);
                    if (finished % reportEvery == 0 && finished < count) progress?.Report(new TaskProgress(task, finished, count));
                    return samples;
                },
                _ => { });
        }
        finally
        {
            Cache.Commit();
        }
        computed = embedded;
        progress?.Report(new TaskProgress(task, count, count));
        return keys;
    }

    /// <summary>
    /// The embeddings of a batch of model-input waveforms (scaled by <see cref="Preprocessing.InputScale"/>, as the dataset
    /// and <c>predict</c> prepare them): (count, 16, 96), row-major, through the cache.
    /// </summary>
    /// <param name="waveforms">(count, 16,000) scaled samples, row-major.</param>
    public float[] Embed(ReadOnlySpan<float> waveforms, int count, CancellationToken cancellationToken = default)
    {
        if (waveforms.Length != count * ClipSamples)
            throw new ArgumentException($"expected {count} × {ClipSamples} samples, got {waveforms.Length}", nameof(waveforms));
        var scaled = waveforms.ToArray();
        var keys = Ensure(count, (i, samples) => FromModelInput(scaled.AsSpan(i * ClipSamples, ClipSamples), samples),
            "embedding clips", out _, cancellationToken: cancellationToken);
        var embeddings = new float[count * EmbeddingCache.Values];
        for (var i = 0; i < count; i++)
            if (!Cache.TryCopy(keys[i], embeddings.AsSpan(i * EmbeddingCache.Values, EmbeddingCache.Values)))
                throw new InvalidOperationException("an embedding just ensured is missing from the cache");
        return embeddings;
    }

    /// <summary>A model-input waveform (scaled by <see cref="Preprocessing.InputScale"/>) as the encoder takes it: samples in [-1, 1].</summary>
    public static void FromModelInput(ReadOnlySpan<float> modelInput, Span<float> samples)
    {
        for (var i = 0; i < samples.Length; i++)
            samples[i] = modelInput[i] / Preprocessing.InputScale;
    }

    public void Dispose()
    {
        encoder.Dispose();
        Cache.Dispose();
    }
}
