using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace TfCrnn.Data.Augmentation;

/// <summary>One augmentation's value range (uniform) and the fraction of clips it changes.</summary>
/// <param name="Min">Smallest value, in the transform's unit (<see cref="AugmentationRecipe.Transforms"/>).</param>
/// <param name="Max">Largest value.</param>
/// <param name="Probability">Chance, per clip, that the transform applies (0 &lt; p ≤ 1).</param>
public sealed record AugmentRange(double Min, double Max, double Probability = 1);

/// <summary>A transform of the recipe: its spelling, unit, admissible values and place in the record.</summary>
/// <param name="Name">The name in <c>--augment</c> specs.</param>
/// <param name="Unit">What <see cref="AugmentRange.Min"/> and <see cref="AugmentRange.Max"/> measure.</param>
/// <param name="Lowest">Smallest admissible value.</param>
/// <param name="Highest">Largest admissible value.</param>
public sealed record AugmentationTransform(string Name, string Unit, double Lowest, double Highest, string Description,
    Func<AugmentationRecipe, AugmentRange?> Get, Func<AugmentationRecipe, AugmentRange?, AugmentationRecipe> Set);

/// <summary>
/// Which training augmentations run, with their ranges: the paper's ±5 ms <see cref="Shift"/> (docs/reference-implementation.md, "Data")
/// and, each switched on by a non-null range, the transforms of <see cref="Transforms"/>, applied per clip in that
/// order (source changes, room, noise, channel, masks, then neighbouring speech), the paper's shift last. Saved in a run's
/// <c>config.json</c>. <see cref="Parse"/> reads the <c>--augment</c> spelling, <see cref="ToString"/> writes it.
/// </summary>
public sealed record AugmentationRecipe
{
    /// <summary>The paper's shift: keep 15,840 samples from a random offset in 0..159, zero-pad 80 each side.</summary>
    public bool Shift { get; init; } = true;

    /// <summary>Moves the content by a random time, in ms (positive: later), zero-filling; beyond the paper's ±5 ms.</summary>
    public AugmentRange? WideShift { get; init; }

    /// <summary>Tempo and pitch together (a tape played faster): speed factor, by resampling.</summary>
    public AugmentRange? Speed { get; init; }

    /// <summary>Pitch in semitones at constant duration: resampling plus a waveform-similarity time stretch.</summary>
    public AugmentRange? Pitch { get; init; }

    /// <summary>Vocal-tract length perturbation: the spectrum's frequency axis scaled by a warp factor.</summary>
    public AugmentRange? Vtlp { get; init; }

    /// <summary>Room reverberation from a synthetic impulse response of the given RT60, in seconds.</summary>
    public AugmentRange? Reverb { get; init; }

    /// <summary>Background noise at a signal-to-noise ratio in dB (speech-active level against the noise's RMS).</summary>
    public AugmentRange? Noise { get; init; }

    /// <summary>Band-limiting (telephone, cheap microphones): a low-pass at this many Hz and a high-pass at 50–400 Hz.</summary>
    public AugmentRange? BandLimit { get; init; }

    /// <summary>Loudness change in dB.</summary>
    public AugmentRange? Gain { get; init; }

    /// <summary>One or two zeroed stretches of this many ms.</summary>
    public AugmentRange? Mask { get; init; }

    /// <summary>
    /// Neighbouring speech, as a window sliding over continuous audio holds it: part of another clip's speech just
    /// before or after the clip's own, this many ms away from it, at a level within ±6 dB; the label stays the clip's.
    /// </summary>
    public AugmentRange? Neighbours { get; init; }

    /// <summary>The paper's recipe: the shift alone (the default of <c>train</c> and Table I).</summary>
    public static AugmentationRecipe Paper { get; } = new();

    /// <summary>No augmentation at all.</summary>
    public static AugmentationRecipe None { get; } = new() { Shift = false };

    /// <summary>
    /// Every transform, at ranges meant for recognising voices, rooms and microphones that the synthetic training
    /// speech lacks (bench/results/augmentation.md gives the evidence).
    /// </summary>
    public static AugmentationRecipe Robust { get; } = new()
    {
        WideShift = new(-100, 100, 0.5),
        Speed = new(0.85, 1.15, 0.5),
        Pitch = new(-3, 3, 0.4),
        Vtlp = new(0.88, 1.12, 0.4),
        Reverb = new(0.15, 0.7, 0.3),
        Noise = new(0, 25, 0.7),
        BandLimit = new(3000, 7500, 0.3),
        Gain = new(-12, 8, 0.5),
        Mask = new(10, 40, 0.2),
        Neighbours = new(0, 300, 0.5),
    };

    private static readonly string[] Presets = ["paper", "robust", "none"];

    /// <summary>The switchable transforms in the order they are applied.</summary>
    public static IReadOnlyList<AugmentationTransform> Transforms { get; } =
    [
        new("wideshift", "ms", -500, 500, "move the content by a random time, zero-filled", r => r.WideShift, (r, v) => r with { WideShift = v }),
        new("speed", "factor", 0.5, 2, "tempo and pitch together, by resampling", r => r.Speed, (r, v) => r with { Speed = v }),
        new("pitch", "semitones", -12, 12, "pitch at constant duration", r => r.Pitch, (r, v) => r with { Pitch = v }),
        new("vtlp", "warp factor", 0.7, 1.4, "vocal-tract length perturbation (frequency warping)", r => r.Vtlp, (r, v) => r with { Vtlp = v }),
        new("reverb", "RT60 s", 0.05, 1, "synthetic room impulse response", r => r.Reverb, (r, v) => r with { Reverb = v }),
        new("noise", "SNR dB", -10, 60, "background noise: the dataset's recordings, white, pink, brown, babble", r => r.Noise, (r, v) => r with { Noise = v }),
        new("bandlimit", "low-pass Hz", 1000, 8000, "band-limiting (telephone, cheap microphones)", r => r.BandLimit, (r, v) => r with { BandLimit = v }),
        new("gain", "dB", -40, 40, "loudness", r => r.Gain, (r, v) => r with { Gain = v }),
        new("mask", "ms", 1, 500, "one or two zeroed stretches", r => r.Mask, (r, v) => r with { Mask = v }),
        new("neighbours", "gap ms", 0, 1000, "part of another clip's speech before or after the clip's own, as in continuous audio",
            r => r.Neighbours, (r, v) => r with { Neighbours = v }),
    ];

    /// <summary>Whether any transform besides the paper's shift is on.</summary>
    [JsonIgnore]
    public bool HasTransforms => Transforms.Any(t => t.Get(this) is not null);

    /// <summary>The <c>--augment</c> syntax, for help texts.</summary>
    public static string Syntax =>
        "paper (the paper's ±5 ms shift, default), robust (every transform), none; then, comma-separated, " +
        "+NAME or -NAME to switch one on (robust's range) or off, NAME=MIN:MAX to set its range, NAME@P its probability " +
        $"(e.g. robust,-reverb,noise=5:20@0.5). Names: shift, {string.Join(", ", Transforms.Select(t => $"{t.Name} ({t.Unit})"))}";

    /// <summary>
    /// Reads an <c>--augment</c> value: an optional preset (<c>paper</c>, <c>robust</c>, <c>none</c>; default
    /// <c>paper</c>) followed by comma-separated changes: <c>+NAME</c> or <c>NAME</c> switches a transform on (at
    /// its current range, else robust's), <c>-NAME</c> off, <c>NAME=MIN:MAX</c> (or <c>NAME=VALUE</c>) sets its
    /// range and <c>NAME@P</c> its probability; both may follow one name (<c>noise=5:20@0.5</c>).
    /// <c>shift</c>, the paper's shift, only switches.
    /// </summary>
    /// <exception cref="TfCrnnException">The value is malformed or out of range; the message says which part.</exception>
    public static AugmentationRecipe Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
            throw Error("the value is empty; " + Syntax);
        var items = spec.Split(',').Select(i => i.Trim()).ToList();
        var recipe = Paper;
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            if (item.Length == 0)
                throw Error($"empty item in '{spec}'");
            if (Presets.Contains(item))
            {
                if (index > 0) throw Error($"the preset '{item}' must come first");
                recipe = item switch { "robust" => Robust, "none" => None, _ => Paper };
                continue;
            }
            recipe = Change(recipe, item);
        }
        return recipe.Validate();
    }

    /// <summary>The shortest spec that <see cref="Parse"/> reads back as this recipe.</summary>
    public override string ToString()
    {
        var best = "";
        foreach (var preset in Presets)
        {
            var changes = Changes(preset switch { "robust" => Robust, "none" => None, _ => Paper }, this);
            var spec = string.Join(',', new[] { preset }.Concat(changes));
            if (best.Length == 0 || spec.Length < best.Length) best = spec;
        }
        return best;
    }

    /// <summary>Throws <see cref="TfCrnnException"/> naming the first transform whose range or probability is not admissible.</summary>
    public AugmentationRecipe Validate()
    {
        foreach (var transform in Transforms)
        {
            if (transform.Get(this) is not { } range) continue;
            if (!(range.Min >= transform.Lowest && range.Max <= transform.Highest && range.Min <= range.Max))
                throw Error($"{transform.Name}: the range {Format(range.Min)}:{Format(range.Max)} must lie within " +
                    $"{Format(transform.Lowest)}:{Format(transform.Highest)} ({transform.Unit}) with its minimum first");
            if (!(range.Probability > 0 && range.Probability <= 1))
                throw Error($"{transform.Name}: the probability must be above 0 and at most 1, got {Format(range.Probability)}");
        }
        return this;
    }

    private static AugmentationRecipe Change(AugmentationRecipe recipe, string item)
    {
        var sign = item[0] is '+' or '-' ? item[0] : '+';
        var body = item[0] is '+' or '-' ? item[1..] : item;
        var at = body.IndexOf('@');
        var equals = body.IndexOf('=');
        var nameEnd = new[] { at, equals, body.Length }.Where(i => i >= 0).Min();
        var name = body[..nameEnd];
        if (name == "shift")
        {
            if (nameEnd < body.Length) throw Error($"'{item}': shift (the paper's ±5 ms) takes no range or probability");
            return recipe with { Shift = sign == '+' };
        }
        var transform = Transforms.FirstOrDefault(t => t.Name == name)
            ?? throw Error($"unknown transform '{name}' in '{item}'; expected shift, {string.Join(", ", Transforms.Select(t => t.Name))}");
        if (sign == '-')
        {
            if (nameEnd < body.Length) throw Error($"'{item}': a transform switched off takes no range or probability");
            return transform.Set(recipe, null);
        }
        var range = transform.Get(recipe) ?? transform.Get(Robust)!;
        if (equals >= 0)
        {
            var text = at > equals ? body[(equals + 1)..at] : body[(equals + 1)..];
            var parts = text.Split(':');
            if (parts.Length > 2 || !parts.All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
                throw Error($"'{item}': expected {name}=MIN:MAX or {name}=VALUE with numbers in {transform.Unit}");
            var min = double.Parse(parts[0], CultureInfo.InvariantCulture);
            var max = double.Parse(parts[^1], CultureInfo.InvariantCulture);
            range = range with { Min = min, Max = max };
        }
        if (at >= 0)
        {
            var text = equals > at ? body[(at + 1)..equals] : body[(at + 1)..];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var probability))
                throw Error($"'{item}': expected {name}@P with a probability P above 0 and at most 1");
            range = range with { Probability = probability };
        }
        return transform.Set(recipe, range);
    }

    private static IEnumerable<string> Changes(AugmentationRecipe from, AugmentationRecipe to)
    {
        if (from.Shift != to.Shift) yield return to.Shift ? "+shift" : "-shift";
        foreach (var transform in Transforms)
        {
            var (before, after) = (transform.Get(from), transform.Get(to));
            if (before == after) continue;
            if (after is null) { yield return $"-{transform.Name}"; continue; }
            var robust = transform.Get(Robust)!;
            var spec = new StringBuilder(before is null ? "+" + transform.Name : transform.Name);
            var reference = before ?? robust;
            if (after.Min != reference.Min || after.Max != reference.Max)
                spec.Append(after.Min == after.Max ? $"={Format(after.Min)}" : $"={Format(after.Min)}:{Format(after.Max)}");
            if (after.Probability != reference.Probability)
                spec.Append($"@{Format(after.Probability)}");
            yield return spec.ToString();
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static TfCrnnException Error(string message) => new($"--augment: {message}");
}
