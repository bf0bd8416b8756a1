namespace TfCrnn;

/// <summary>The checks that the options records' <c>Validate()</c> methods share; each throws <see cref="OptionException"/>.</summary>
internal static class OptionChecks
{
    public static void AtLeast(string option, long value, long minimum)
    {
        if (value < minimum) throw new OptionException(option, $"must be at least {minimum}, got {value}");
    }

    /// <summary>A count where 0 means a default (threads: one per physical core).</summary>
    public static void NotNegative(string option, long value) => AtLeast(option, value, 0);

    public static void Positive(string option, double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new OptionException(option, $"must be a positive number, got {value}");
    }

    public static void NotNegative(string option, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw new OptionException(option, $"must be 0 or more, got {value}");
    }

    /// <summary>A probability or share: 0 to 1.</summary>
    public static void Fraction(string option, double value)
    {
        if (!(value is >= 0 and <= 1)) throw new OptionException(option, $"must lie in [0, 1], got {value}");
    }

    /// <summary>A dropout rate: from 0 (none) up to, not including, 1.</summary>
    public static void DropoutRate(string option, double value)
    {
        if (!(value is >= 0 and < 1)) throw new OptionException(option, $"must lie in [0, 1), got {value}");
    }

    /// <summary>Model widths: the channel counts derived from it (width / 8 in the excitation) must be whole.</summary>
    public static void Width(string option, int width)
    {
        if (width < 8 || width % 8 != 0) throw new OptionException(option, $"must be a positive multiple of 8, got {width}");
    }

    public static void OneOf(string option, string value, IReadOnlyCollection<string> allowed)
    {
        if (!allowed.Contains(value))
            throw new OptionException(option, $"must be one of {string.Join(", ", allowed)}, got '{value}'");
    }

    public static void Word(string option, string word)
    {
        if (!Data.Labels.TryIndexOf(word, out _))
            throw new OptionException(option, $"'{word}' is not one of the {Data.Labels.Count} Speech Commands words");
    }

    /// <summary>
    /// Throws <see cref="OptionException"/> for the first option of <paramref name="given"/> that is one of
    /// <paramref name="options"/>: a verb's options that do not apply to the mode chosen, <paramref name="problem"/> saying why.
    /// </summary>
    public static void NoneOf(IEnumerable<string> given, IReadOnlyCollection<string> options, string problem)
    {
        if (given.FirstOrDefault(options.Contains) is { } misplaced) throw new OptionException(misplaced, problem);
    }

    public static void Variant(string option, string variant) => OneOf(option, variant, Models.ModelRegistry.Names);

    /// <summary>
    /// Refuses an option that sets a hyper-parameter <paramref name="model"/> does not have
    /// (<see cref="Models.ModelDeclaration.HyperParameters"/>), which the model would ignore.
    /// </summary>
    /// <param name="given">Whether the option was given (for an option with a default: set to another value).</param>
    public static void AppliesTo(string option, Models.ModelDeclaration model, Models.ModelHyperParameters hyperParameter, bool given)
    {
        if (given && !model.Has(hyperParameter))
            throw new OptionException(option, $"does not apply to {model.Name}, which has no {option[2..].Replace('-', ' ')}");
    }

    public static void Required(string option, string? value, string? unless = null)
    {
        if (string.IsNullOrEmpty(value))
            throw new OptionException(option, unless is null ? "is required" : $"is required (unless {unless})");
    }
}
