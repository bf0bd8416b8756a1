using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Progress;
using TfCrnn.Runtime.SpeechEmbedding;
using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.SpeechEmbedding;

/// <summary>Fills <paramref name="samples"/> with copy <paramref name="copy"/> of clip <paramref name="clip"/>: 16,000 samples in [-1, 1], centred (<see cref="Runtime.ClipInput.Prepare"/>, scale 1) and augmented as the copy is.</summary>
public delegate void ClipWaveform(int clip, int copy, Span<float> samples);

/// <summary>Options of an <see cref="EmbeddingCache"/>: where it lives and everything its key covers.</summary>
public sealed record EmbeddingCacheOptions
{
    /// <summary>The cache's folder: one cache per folder (its <c>manifest.json</c> and one data file).</summary>
    public required string Directory { get; init; }

    /// <summary>The encoder's folder (<see cref="EncoderFiles.Locate(string?)"/>); both files' SHA-256 are part of the key.</summary>
    public required string EncoderDirectory { get; init; }

    /// <summary>
    /// What each clip is, in order, as the key sees it: its path, size and modification time (<see cref="EmbeddingCache.FileKey"/>),
    /// as the clip cache fingerprints a dataset folder, or a hash of its content.
    /// </summary>
    public required IReadOnlyList<string> ClipKeys { get; init; }

    /// <summary>Copies of each clip (each one augmented its own way by the <see cref="ClipWaveform"/>); 1: the clip alone.</summary>
    public int Copies { get; init; } = 1;

    /// <summary>The augmentation the waveforms carry, as a recipe string (<see cref="Data.Augmentation.AugmentationRecipe.ToString"/>); part of the key.</summary>
    public string Augmentation { get; init; } = "none";

    /// <summary>The seed of the augmentation; part of the key.</summary>
    public int Seed { get; init; }

    /// <summary>ONNX Runtime's threads for the embedding network (0: one per core).</summary>
    public int Threads { get; init; } = 1;

    /// <exception cref="OptionException">A value is out of range.</exception>
    public EmbeddingCacheOptions Validate()
    {
        OptionChecks.Required($"{nameof(EmbeddingCacheOptions)}.{nameof(Directory)}", Directory);
        OptionChecks.Required($"{nameof(EmbeddingCacheOptions)}.{nameof(EncoderDirectory)}", EncoderDirectory);
        ArgumentNullException.ThrowIfNull(ClipKeys);
        if (ClipKeys.Count == 0) throw new OptionException($"{nameof(EmbeddingCacheOptions)}.{nameof(ClipKeys)}", "must name at least one clip");
        OptionChecks.AtLeast($"{nameof(EmbeddingCacheOptions)}.{nameof(Copies)}", Copies, 1);
        OptionChecks.NotNegative($"{nameof(EmbeddingCacheOptions)}.{nameof(Threads)}", Threads);
        OptionChecks.Required($"{nameof(EmbeddingCacheOptions)}.{nameof(Augmentation)}", Augmentation);
        return this;
    }
}

/// <summary><c>manifest.json</c> of an embedding cache (<see cref="CacheFolder"/>): the key and the data file's shape.</summary>
internal sealed record EmbeddingManifest(string Fingerprint, string File, int Clips, int Copies, int Steps, int Dimensions,
    string Encoder, string Augmentation, int Seed)
{
    public long Values => (long)Clips * Copies * Steps * Dimensions;
}

/// <summary>
/// The speech embeddings of a set of clips, each in one or more augmented copies: (clips × copies, 16, 96) floats in
/// one memory-mapped file, computed once and reused while the key is the same. The key covers the front end (the two
/// encoder files' SHA-256 and the geometry), the data (<see cref="EmbeddingCacheOptions.ClipKeys"/>) and the
/// augmentation (recipe, seed, copies). The manifest is written last and atomically and the data file is never
/// overwritten, so a build killed at any moment leaves nothing that is read; the next one starts over.
/// </summary>
public sealed unsafe class EmbeddingCache : IDisposable
{
    // Bumped whenever the file's content or layout changes, so that old caches are rebuilt.
    private const int FormatVersion = 1;
    private const string DataPattern = "*.f32";

    private readonly MappedFile map;

    private EmbeddingCache(MappedFile map, EmbeddingManifest manifest, bool reused)
    {
        this.map = map;
        Clips = manifest.Clips;
        Copies = manifest.Copies;
        Reused = reused;
    }

    /// <summary>Clips in the cache.</summary>
    public int Clips { get; }

    /// <summary>Copies of each clip.</summary>
    public int Copies { get; }

    /// <summary>Embeddings per clip (<see cref="SpeechEmbeddingGeometry.ClipSteps"/>).</summary>
    public int Steps => ClipSteps;

    /// <summary>Whether the cache was there already (nothing was computed).</summary>
    public bool Reused { get; }

    /// <summary>The embeddings of copy <paramref name="copy"/> of clip <paramref name="clip"/>: (16, 96), row-major.</summary>
    public ReadOnlySpan<float> Embeddings(int clip, int copy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clip);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(clip, Clips);
        ArgumentOutOfRangeException.ThrowIfNegative(copy);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(copy, Copies);
        const int values = ClipSteps * Dimensions;
        return new ReadOnlySpan<float>((float*)map.Start + ((long)clip * Copies + copy) * values, values);
    }

    /// <summary>
    /// The cache of <paramref name="options"/>: mapped when its folder holds one with the same key, otherwise built,
    /// asking <paramref name="waveform"/> for each clip's copies in order (clip 0 copy 0, clip 0 copy 1, …).
    /// </summary>
    /// <exception cref="TfCrnnException">The encoder's files are missing or unusable.</exception>
    public static EmbeddingCache Open(EmbeddingCacheOptions options, ClipWaveform waveform, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(waveform);
        options.Validate();
        var directory = Path.GetFullPath(options.Directory);
        var encoder = EncoderIdentity(options.EncoderDirectory);
        var fingerprint = Fingerprint(options, encoder);
        System.IO.Directory.CreateDirectory(directory);
        if (CacheFolder.TryLoadManifest<EmbeddingManifest>(directory) is { } manifest && manifest.Fingerprint == fingerprint
            && TryMap(directory, manifest) is { } mapped)
            return new EmbeddingCache(mapped, manifest, reused: true);
        var built = Build(options, directory, fingerprint, encoder, waveform, progress, cancellationToken);
        return new EmbeddingCache(new MappedFile(Path.Combine(directory, built.File)), built, reused: false);
    }

    /// <summary>A clip file's key: its full path, size and modification time (as the clip cache fingerprints a dataset folder).</summary>
    public static string FileKey(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new TfCrnnException($"{path}: no such file");
        return $"{file.FullName}\t{file.Length}\t{file.LastWriteTimeUtc.Ticks}";
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => map.Dispose();

    /// <summary>The SHA-256 of both encoder files, which is what the key knows of the front end.</summary>
    private static string EncoderIdentity(string encoderDirectory)
    {
        var hashes = new[] { SpeechEmbeddingEncoder.MelFile, SpeechEmbeddingEncoder.EmbeddingFile }.Select(name =>
        {
            var path = Path.Combine(encoderDirectory, name);
            if (!File.Exists(path)) throw new TfCrnnException($"{path}: no such file (the encoder's folder holds {EncoderFiles.FileList})");
            using var stream = File.OpenRead(path);
            return $"{name}:{Convert.ToHexStringLower(SHA256.HashData(stream))}";
        });
        return string.Join(' ', hashes);
    }

    private static string Fingerprint(EmbeddingCacheOptions options, string encoder)
    {
        var text = new StringBuilder($"tfcrnn-embeddings {FormatVersion}\n");
        text.Append($"encoder {encoder}\n");
        text.Append($"geometry padded={PaddedClipSamples} before={ClipPadBefore} block={BlockFrames} window={WindowFrames} step={StepFrames} dimensions={Dimensions}\n");
        text.Append($"augmentation {options.Augmentation}\nseed {options.Seed}\ncopies {options.Copies}\nclips {options.ClipKeys.Count}\n");
        foreach (var key in options.ClipKeys)
            text.Append(key).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static MappedFile? TryMap(string directory, EmbeddingManifest manifest)
    {
        var path = Path.Combine(directory, manifest.File);
        try
        {
            if (manifest.Steps != ClipSteps || manifest.Dimensions != Dimensions || new FileInfo(path).Length != manifest.Values * sizeof(float))
                return null;
            return new MappedFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Computes every copy's embeddings into a new data file (temp file, then rename), then writes the manifest.</summary>
    private static EmbeddingManifest Build(EmbeddingCacheOptions options, string directory, string fingerprint, string encoderIdentity,
        ClipWaveform waveform, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var manifest = new EmbeddingManifest(fingerprint, $"embeddings-{CacheFolder.BuildName()}.f32", options.ClipKeys.Count, options.Copies,
            ClipSteps, Dimensions, encoderIdentity, options.Augmentation, options.Seed);
        using var encoder = SpeechEmbeddingEncoder.Open(options.EncoderDirectory, options.Threads);
        var total = (long)manifest.Clips * manifest.Copies;
        // One clip (16 windows) per network call: on one CPU thread, larger calls were slower per clip
        // (bench/results/real-speech.md, "The front end's cost").
        AtomicFile.Write(Path.Combine(directory, manifest.File), output =>
        {
            var samples = new float[ClipSamples];
            for (long item = 0; item < total; item++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Array.Clear(samples);
                waveform((int)(item / manifest.Copies), (int)(item % manifest.Copies), samples);
                output.Write(MemoryMarshal.AsBytes(encoder.EmbedClip(samples).AsSpan()));
                progress?.Report(new TaskProgress("embedding clips", item + 1, total));
            }
        });
        CacheFolder.SaveManifest(directory, manifest);
        CacheFolder.DeleteStaleFiles(directory, DataPattern, new HashSet<string>(StringComparer.Ordinal) { manifest.File }, started);
        return manifest;
    }
}
