using TfCrnn.Audio;

namespace TfCrnn.Data.Augmentation;

/// <summary>
/// Applies the transforms of an <see cref="AugmentationRecipe"/> (all but the paper's shift, which
/// <see cref="BatchLoader"/> applies last) to one clip, in the order of <see cref="AugmentationRecipe.Transforms"/>.
/// A clip's changes are a pure function of its seed; each transform draws from its own stream of that seed, so
/// switching one transform off leaves the others' draws as they were. Not thread-safe: one per producer thread.
/// </summary>
internal sealed class ClipAugmenter
{
    private readonly AugmentationRecipe recipe;
    private readonly NoiseSources noise;
    private readonly float[] noiseBuffer = new float[Preprocessing.ClipSamples];
    // Neighbouring speech: at most 6 dB quieter or louder than the clip's own.
    private const double NeighbourLevelDb = 6;

    public ClipAugmenter(AugmentationRecipe recipe, NoiseSources noise)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(noise);
        this.recipe = recipe.Validate();
        this.noise = noise;
    }

    /// <summary>Changes <paramref name="clip"/> (16,000 samples, as <see cref="Preprocessing.Prepare(ReadOnlySpan{float})"/> makes it) in place.</summary>
    public void Apply(Span<float> clip, int seed)
    {
        if (clip.Length != Preprocessing.ClipSamples)
            throw new ArgumentException($"clip must hold {Preprocessing.ClipSamples} samples", nameof(clip));
        var transforms = AugmentationRecipe.Transforms;
        for (var index = 0; index < transforms.Count; index++)
        {
            if (transforms[index].Get(recipe) is not { } range) continue;
            var random = new Random(Seeds.Mix(seed, index));
            if (random.NextDouble() >= range.Probability) continue;
            var value = range.Min + (range.Max - range.Min) * random.NextDouble();
            Apply(transforms[index].Name, clip, value, random);
        }
    }

    private void Apply(string transform, Span<float> clip, double value, Random random)
    {
        const double samplesPerMs = SpeechCommandsDataset.SampleRate / 1000.0;
        switch (transform)
        {
            case "wideshift":
                TimeEdits.Shift(clip, (int)Math.Round(value * samplesPerMs));
                break;
            case "speed":
                TempoAndPitch.ChangeSpeed(clip, value);
                break;
            case "pitch":
                TempoAndPitch.ShiftPitch(clip, value);
                break;
            case "vtlp":
                FrequencyWarp.Apply(clip, value);
                break;
            case "reverb":
                Reverberation.Apply(clip, Reverberation.ImpulseResponse(value, random));
                break;
            case "noise":
                noise.Fill(noiseBuffer, random);
                Mixing.AddAtSnr(clip, noiseBuffer, value, SpeechLevel.ActiveRms(clip));
                break;
            case "bandlimit":
                BandLimit.Apply(clip, lowHz: 50 + 350 * random.NextDouble(), highHz: value);
                break;
            case "gain":
                Mixing.Scale(clip, Mixing.DecibelsToGain(value));
                break;
            case "mask":
                // One or two masks; the second draws its own length from the same range.
                var lengths = random.Next(2) == 0 ? [value] : new[] { value, recipe.Mask!.Min + (recipe.Mask.Max - recipe.Mask.Min) * random.NextDouble() };
                foreach (var milliseconds in lengths)
                {
                    var length = (int)Math.Round(milliseconds * samplesPerMs);
                    TimeEdits.Mask(clip, random.Next(clip.Length - length + 1), length);
                }
                break;
            case "neighbours":
                AddNeighbour(clip, (int)Math.Round(value * samplesPerMs), random);
                break;
            default:
                throw new InvalidOperationException($"no implementation for the transform '{transform}'");
        }
    }

    /// <summary>
    /// Adds another clip's speech before (its end <paramref name="gap"/> samples before the clip's speech starts) or after
    /// (its start that far after the clip's speech ends), cut at the clip's edges; nothing when that side has no room.
    /// </summary>
    private void AddNeighbour(Span<float> clip, int gap, Random random)
    {
        var before = random.Next(2) == 0;
        var (level, start, end) = SpeechLevel.Measure(clip);
        if (level <= 0 || !noise.Speech(noiseBuffer, random)) return;
        var (neighbourLevel, neighbourStart, neighbourEnd) = SpeechLevel.Measure(noiseBuffer);
        if (neighbourLevel <= 0) return;
        var gain = (float)(level / neighbourLevel * Mixing.DecibelsToGain(NeighbourLevelDb * (2 * random.NextDouble() - 1)));
        // Where the neighbour's sample i lands in the clip.
        var offset = before ? start - gap - neighbourEnd : end + gap - neighbourStart;
        for (var i = neighbourStart; i < neighbourEnd; i++)
        {
            var at = i + offset;
            if (at >= 0 && at < clip.Length && (before ? at < start : at >= end))
                clip[at] += gain * noiseBuffer[i];
        }
    }
}
