namespace TfCrnn.Synthesis;

/// <summary>The espeak-ng voices and variants the synthesiser draws its speakers from.</summary>
public static class VoiceCatalog
{
    /// <summary>espeak-ng's own English voices (the mbrola ones need extra packages).</summary>
    public static readonly IReadOnlyList<string> Voices =
        ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];

    /// <summary>espeak-ng variants (<c>espeak-ng --voices=variant</c>): formant, pitch and voice-quality settings.</summary>
    public static readonly IReadOnlyList<string> Variants =
        ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "klatt", "klatt2", "klatt3"];

    /// <summary>Every voice with every variant, or the given subsets; unknown names are an input error.</summary>
    public static IReadOnlyList<VoiceConfiguration> Configurations(IReadOnlyList<string>? voices = null, IReadOnlyList<string>? variants = null)
    {
        var chosenVoices = Check(voices, Voices, "voice");
        var chosenVariants = Check(variants, Variants, "variant");
        return [.. chosenVoices.SelectMany(v => chosenVariants.Select(x => new VoiceConfiguration(v, x)))];
    }

    /// <summary>The requested names (default all), each checked against <paramref name="known"/>.</summary>
    internal static IReadOnlyList<string> Check(IReadOnlyList<string>? requested, IReadOnlyList<string> known, string kind)
    {
        if (requested is null)
            return known;
        if (requested.Count == 0)
            throw new TfCrnnException($"an empty list of {kind}s; name at least one of: {string.Join(", ", known)}");
        foreach (var name in requested)
            if (!known.Contains(name, StringComparer.Ordinal))
                throw new TfCrnnException($"unknown espeak-ng {kind} '{name}'; known {kind}s: {string.Join(", ", known)}");
        return requested.Distinct(StringComparer.Ordinal).ToList();
    }
}
