using TfCrnn.Audio;

namespace TfCrnn.Data.Augmentation;

/// <summary>A kind of background noise.</summary>
public enum NoiseKind
{
    /// <summary>A stretch of a noise recording (the dataset's <c>_background_noise_</c>, <see cref="SpeechCommandsDataset.BackgroundNoise"/>).</summary>
    Recording,

    /// <summary>White noise: a flat spectrum.</summary>
    White,

    /// <summary>Pink noise: power falling 3 dB an octave.</summary>
    Pink,

    /// <summary>Brown noise: power falling 6 dB an octave.</summary>
    Brown,
    /// <summary>Three to six other clips of the set, each at the same level, at random offsets.</summary>
    Babble,
}

/// <summary>
/// Where the background noise of <see cref="AugmentationRecipe.Noise"/> comes from: recordings when given, generated
/// white, pink and brown noise, and babble made of other clips. Each clip draws one kind, uniformly among those
/// available, and a random stretch of it.
/// </summary>
internal sealed class NoiseSources
{
    // Ten seconds of each colour, made once with fixed seeds; each clip takes a random second of it.
    private const int BankSamples = 10 * SpeechCommandsDataset.SampleRate;
    private static readonly Lazy<float[]>[] Banks =
        [.. Enum.GetValues<NoiseColor>().Select(color =>
            new Lazy<float[]>(() => NoiseGenerator.Generate(color, BankSamples, new Random(1 + (int)color))))];

    private readonly Func<int, float[]>? speech;
    private readonly int speechCount;
    private readonly Func<Random, int> pickRecording;
    private readonly Func<Random, int> pickSpeech;

    /// <param name="recordings">Noise recordings at 16 kHz (any length).</param>
    /// <param name="speech">Reads the i-th clip of the babble pool (at most 16,000 samples).</param>
    /// <param name="speechCount">Clips in the babble pool; babble needs at least 3.</param>
    /// <param name="kinds">Only these kinds (those available of them); all when null.</param>
    /// <param name="pickRecording">Which recording (index into the non-empty ones) a draw takes; null: uniformly by index.</param>
    /// <param name="pickSpeech">Which clip of the babble pool a draw takes; null: uniformly by index (<see cref="ContentRing"/> draws by content).</param>
    public NoiseSources(IReadOnlyList<float[]>? recordings = null, Func<int, float[]>? speech = null, int speechCount = 0,
        IReadOnlyCollection<NoiseKind>? kinds = null, Func<Random, int>? pickRecording = null, Func<Random, int>? pickSpeech = null)
    {
        Recordings = recordings?.Where(r => r.Length > 0).ToList() ?? [];
        this.speech = speech;
        this.speechCount = speech is null ? 0 : speechCount;
        this.pickRecording = pickRecording ?? (random => random.Next(Recordings.Count));
        this.pickSpeech = pickSpeech ?? (random => random.Next(this.speechCount));
        Kinds = Enum.GetValues<NoiseKind>()
            .Where(k => kinds is null || kinds.Contains(k))
            .Where(k => k switch
            {
                NoiseKind.Recording => Recordings.Count > 0,
                NoiseKind.Babble => this.speechCount >= 3,
                _ => true,
            }).ToList();
        if (Kinds.Count == 0)
            throw new TfCrnnException($"no noise source available among {string.Join(", ", kinds ?? [])}: " +
                "recordings need a _background_noise_ folder, babble at least 3 clips");
    }

    public IReadOnlyList<float[]> Recordings { get; }

    /// <summary>The kinds a clip draws from.</summary>
    public IReadOnlyList<NoiseKind> Kinds { get; }

    /// <summary>Fills <paramref name="destination"/> with a noise of a random available kind.</summary>
    public NoiseKind Fill(Span<float> destination, Random random)
    {
        var kind = Kinds[random.Next(Kinds.Count)];
        switch (kind)
        {
            case NoiseKind.Recording:
                Stretch(Recordings[pickRecording(random)], destination, random);
                break;
            case NoiseKind.Babble:
                Babble(destination, random);
                break;
            default:
                Stretch(Generated((NoiseColor)(kind - NoiseKind.White)), destination, random);
                break;
        }
        return kind;
    }

    /// <summary>Ten seconds of <paramref name="color"/> noise (RMS 1), made once with a fixed seed and shared: do not change it.</summary>
    public static float[] Generated(NoiseColor color) => Banks[(int)color].Value;

    /// <summary>A random stretch of <paramref name="source"/> (looped when shorter), with a random sign.</summary>
    private static void Stretch(float[] source, Span<float> destination, Random random)
    {
        var position = random.Next(source.Length);
        var sign = random.Next(2) == 0 ? 1f : -1f;
        for (var filled = 0; filled < destination.Length;)
        {
            var piece = source.AsSpan(position, Math.Min(source.Length - position, destination.Length - filled));
            for (var i = 0; i < piece.Length; i++)
                destination[filled + i] = sign * piece[i];
            filled += piece.Length;
            position = 0;
        }
    }

    /// <summary>
    /// Fills <paramref name="clip"/> (16,000 samples) with a random clip of the speech pool, prepared as model input
    /// (the neighbouring words of <see cref="AugmentationRecipe.Neighbours"/>); false when the pool is empty.
    /// </summary>
    public bool Speech(Span<float> clip, Random random)
    {
        if (speechCount == 0) return false;
        Preprocessing.Prepare(speech!(pickSpeech(random)), clip);
        return true;
    }

    private void Babble(Span<float> destination, Random random)
    {
        destination.Clear();
        var talkers = 3 + random.Next(4);
        var clip = new float[destination.Length];
        for (var t = 0; t < talkers; t++)
        {
            Speech(clip, random);
            var level = SpeechLevel.ActiveRms(clip);
            if (level <= 0) continue;
            var offset = random.Next(clip.Length);
            var gain = (float)(1 / level);
            for (var i = 0; i < destination.Length; i++)
                destination[i] += gain * clip[(offset + i) % clip.Length];
        }
    }
}
