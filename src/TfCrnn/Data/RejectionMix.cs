namespace TfCrnn.Data;

/// <summary>
/// How a task with rejection classes draws them, as TensorFlow's Speech Commands recipe does (its defaults): every
/// epoch, besides all keyword clips, a fresh draw of non-keyword clips and of one-second background-noise slices at a
/// random volume; and background noise mixed quietly into training clips of every class, so that noise alone never
/// tells the classes apart.
/// </summary>
public sealed record RejectionMix
{
    /// <summary>Non-keyword clips per epoch, as a percentage of the keyword clips (TensorFlow: 10).</summary>
    public double UnknownPercent { get; init; } = 10;

    /// <summary>Background-noise slices per epoch, as a percentage of the keyword clips (TensorFlow: 10).</summary>
    public double SilencePercent { get; init; } = 10;

    /// <summary>Chance that a training clip gets background noise mixed in (TensorFlow: 0.8).</summary>
    public double BackgroundFrequency { get; init; } = 0.8;

    /// <summary>The mixed-in noise is scaled by a gain drawn uniformly from [0, this] (TensorFlow: 0.1).</summary>
    public double BackgroundVolume { get; init; } = 0.1;

    /// <summary>Throws <see cref="OptionException"/> naming the bad value as the <c>train</c> option.</summary>
    public RejectionMix Validate()
    {
        OptionChecks.NotNegative("--unknown-percent", UnknownPercent);
        OptionChecks.NotNegative("--silence-percent", SilencePercent);
        OptionChecks.Fraction("--background-frequency", BackgroundFrequency);
        OptionChecks.NotNegative("--background-volume", BackgroundVolume);
        return this;
    }
}
