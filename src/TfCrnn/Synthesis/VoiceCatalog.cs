namespace TfCrnn.Synthesis;

/// <summary>The espeak-ng voices (its own and MBROLA's) and variants the synthesiser draws its speakers from.</summary>
internal static class VoiceCatalog
{
    /// <summary>espeak-ng's own English voices (<c>espeak-ng --voices=en</c>), spoken by its formant synthesiser.</summary>
    public static readonly IReadOnlyList<string> EnglishVoices =
        ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];

    /// <summary>
    /// The espeak-ng voices that speak English through MBROLA (<c>espeak-ng --voices=mb</c>, language en): four native
    /// speakers (three American, one British) and sixteen whose databases are other languages' speakers, which
    /// espeak-ng maps English phonemes onto (an Afrikaans, Dutch, French, German, Greek, Hungarian, Polish, Romanian or
    /// Swedish accent). Used when their databases are installed (<see cref="InstalledVoices()"/>).
    /// </summary>
    public static readonly IReadOnlyList<MbrolaVoice> MbrolaVoices =
    [
        new("mb-us1", "us1"), new("mb-us2", "us2"), new("mb-us3", "us3"), new("mb-en1", "en1"),
        new("mb-af1-en", "af1"), new("mb-nl2-en", "nl2"), new("mb-fr1-en", "fr1"), new("mb-fr4-en", "fr4"),
        new("mb-de1-en", "de1"), new("mb-de2-en", "de2"), new("mb-de3-en", "de3"), new("mb-de4-en", "de4"),
        new("mb-de5-en", "de5"), new("mb-de6-en", "de6"), new("mb-gr2-en", "gr2"), new("mb-hu1-en", "hu1"),
        new("mb-pl1-en", "pl1"), new("mb-ro1-en", "ro1"), new("mb-sw1-en", "sw1"), new("mb-sw2-en", "sw2"),
    ];

    // The other-language voices that speak English with their accent through espeak-ng's phonemes (Accent).
    private static readonly IReadOnlyList<string> AccentVoices = [.. Accent.All.Select(a => a.Voice)];

    /// <summary>The voices of espeak-ng's own synthesiser: <see cref="EnglishVoices"/> and the accents (<see cref="Accent"/>).</summary>
    public static readonly IReadOnlyList<string> EspeakVoices = [.. EnglishVoices, .. AccentVoices];

    /// <summary>
    /// Every voice: espeak-ng's English ones, the MBROLA ones, then the other-language voices that speak English with
    /// their accent through espeak-ng's phonemes (<see cref="Accent"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> Voices =
        [.. EnglishVoices, .. MbrolaVoices.Select(v => v.Voice), .. AccentVoices];

    /// <summary>The default voices: <see cref="Voices"/> without the MBROLA ones whose database is not installed.</summary>
    public static IReadOnlyList<string> InstalledVoices() => InstalledVoices(MbrolaVoice.DefaultRoot);

    internal static IReadOnlyList<string> InstalledVoices(string mbrolaRoot) =>
        [.. Voices.Where(v => MbrolaOf(v) is not { } mbrola || mbrola.IsInstalledIn(mbrolaRoot))];

    /// <summary>The MBROLA database of a voice, or null for a voice of espeak-ng's own synthesiser.</summary>
    public static MbrolaVoice? MbrolaOf(string voice) => Mbrolas.GetValueOrDefault(voice);

    private static readonly Dictionary<string, MbrolaVoice> Mbrolas = MbrolaVoices.ToDictionary(v => v.Voice, StringComparer.Ordinal);

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

    /// <summary>
    /// Every installed voice with every variant, or the given subsets; unknown names, and MBROLA voices whose database
    /// is not installed, are input errors.
    /// </summary>
    public static IReadOnlyList<VoiceConfiguration> Configurations(IReadOnlyList<string>? voices = null, IReadOnlyList<string>? variants = null) =>
        Configurations(voices, variants, MbrolaVoice.DefaultRoot);

    internal static IReadOnlyList<VoiceConfiguration> Configurations(IReadOnlyList<string>? voices, IReadOnlyList<string>? variants, string mbrolaRoot)
    {
        var chosenVoices = voices is null ? InstalledVoices(mbrolaRoot) : Check(voices, Voices, "voice");
        if (chosenVoices.Select(MbrolaOf).FirstOrDefault(m => m is not null && !m.IsInstalledIn(mbrolaRoot)) is { } missing)
            throw new TfCrnnException($"espeak-ng voice '{missing.Voice}' speaks through the MBROLA database {missing.Database}, which is not " +
                $"installed in {mbrolaRoot}: install the Debian packages mbrola and {missing.Package} (contrib and non-free; " +
                "scripts/install-deps.sh does it)");
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
