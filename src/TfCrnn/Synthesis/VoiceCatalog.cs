namespace TfCrnn.Synthesis;

/// <summary>The espeak-ng voices and variants the synthesiser draws its speakers from.</summary>
public static class VoiceCatalog
{
    /// <summary>
    /// espeak-ng's own English voices (<c>espeak-ng --voices=en</c>); the mbrola ones (<c>en-us</c> us-mbrola-1..3,
    /// <c>en-german-1</c> ...) need the non-free mbrola voice packages and are not used.
    /// </summary>
    public static readonly IReadOnlyList<string> EnglishVoices =
        ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];

    /// <summary>Every voice: the English ones, then the other-language voices that speak English with their accent (<see cref="Accent"/>).</summary>
    public static readonly IReadOnlyList<string> Voices = [.. EnglishVoices, .. Accent.All.Select(a => a.Voice)];

    /// <summary>
    /// espeak-ng's variants (<c>espeak-ng --voices=variant</c>, the files in <c>espeak-ng-data/voices/!v</c>): formant,
    /// pitch, breath and voice-quality settings, men, women, children, whispers, old and robotic voices. Left out:
    /// <c>fast</c> (a speed test, otherwise the default voice), <c>Mr serious</c> (the default formants, and a space in
    /// its name) and <c>Demonic</c> (echo and roughness effects, not a speaker). Screened on the 35 words at the
    /// default settings: all give durations within ±0.2 s of the default voice's and no silent output.
    /// </summary>
    public static readonly IReadOnlyList<string> Variants =
    [
        "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f4", "f5",
        "klatt", "klatt2", "klatt3", "klatt4", "klatt5", "klatt6",
        "Alex", "Alicia", "Andrea", "Andy", "Annie", "AnxiousAndy", "Denis", "Diogo", "Gene", "Gene2", "Henrique", "Hugo",
        "Jacky", "Lee", "Marco", "Mario", "Michael", "Mike", "Nguyen", "RicishayMax", "RicishayMax2", "RicishayMax3",
        "Storm", "Tweaky", "UniRobot", "adam", "anika", "anikaRobot", "announcer", "antonio", "aunty", "belinda",
        "benjamin", "boris", "caleb", "croak", "david", "ed", "edward", "edward2", "grandma", "grandpa", "gustave",
        "iven", "iven2", "iven3", "iven4", "john", "kaukovalta", "linda", "marcelo", "max", "michel", "miguel",
        "norbert", "pablo", "paul", "pedro", "quincy", "rob", "robert", "robosoft", "robosoft2", "robosoft3",
        "robosoft4", "robosoft5", "robosoft6", "robosoft7", "robosoft8", "sandro", "shelby", "steph", "steph2",
        "steph3", "travis", "victor", "whisper", "whisperf", "zac",
    ];

    /// <summary>The share of clips spoken with a foreign accent when both kinds of voice are available.</summary>
    public const double AccentShare = 0.3;

    /// <summary>The accent of an other-language voice, or null for an English voice.</summary>
    public static Accent? AccentOf(string voice) => Accents.GetValueOrDefault(voice);

    private static readonly Dictionary<string, Accent> Accents = Accent.All.ToDictionary(a => a.Voice, StringComparer.Ordinal);

    /// <summary>Every voice with every variant, or the given subsets; unknown names are an input error.</summary>
    public static IReadOnlyList<VoiceConfiguration> Configurations(IReadOnlyList<string>? voices = null, IReadOnlyList<string>? variants = null)
    {
        var chosenVoices = Check(voices, Voices, "voice");
        var chosenVariants = Check(variants, Variants, "variant");
        return [.. chosenVoices.SelectMany(v => chosenVariants.Select(x => new VoiceConfiguration(v, x)))];
    }

    /// <summary>A configuration from <paramref name="pool"/>: accented with probability <see cref="AccentShare"/> (when the pool has both kinds), uniform within the kind.</summary>
    public static VoiceConfiguration Draw(IReadOnlyList<VoiceConfiguration> pool, Random random)
    {
        var accented = random.NextDouble() < AccentShare;
        var kind = pool.Where(c => (AccentOf(c.Voice) is not null) == accented).ToList();
        var from = kind.Count > 0 ? kind : pool;
        return from[random.Next(from.Count)];
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
