namespace TfCrnn.Data;

/// <summary>
/// A frozen front end's features that stand in for the waveforms of a <see cref="BatchLoader"/>'s examples: for each of
/// its clips a fixed number of copies (copy 0 the clip as evaluation sees it, the others augmented), and a pool of
/// background-noise slices for the rejection draws' silence (<see cref="ClipCopies"/> makes the waveforms).
/// </summary>
internal interface IExampleFeatures
{
    /// <summary>One example's features: (steps, features).</summary>
    IReadOnlyList<long> Shape { get; }

    /// <summary>Copies per clip.</summary>
    int Copies { get; }

    /// <summary>Noise slices in the pool.</summary>
    int SilenceItems { get; }

    /// <summary>The features of copy <paramref name="copy"/> of the loader's clip <paramref name="clip"/>.</summary>
    void Write(int clip, int copy, Span<float> destination);

    /// <summary>The features of the pool's noise slice <paramref name="item"/>.</summary>
    void WriteSilence(int item, Span<float> destination);
}
