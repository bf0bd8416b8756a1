namespace TfCrnn.Synthesis;

/// <summary>The voices (espeak-ng's own, MBROLA's, SVOX Pico's and RHVoice's) and variants the synthesiser draws its speakers from.</summary>
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

    /// <summary>
    /// The English voices of the other engines (<see cref="EngineVoice"/>), used when installed: SVOX Pico's two
    /// (American and British women; Apache-2.0) and two of RHVoice's (<c>rhvoice-english</c>, LGPL-2.1+: bdl and clb,
    /// trained on those CMU ARCTIC speakers). Left out: its slt and alan, the CMU ARCTIC speakers slt and awb, whom the
    /// held-out engines speak with (flite's slt and awb, festival's cmu_us_slt_arctic_hts in
    /// bench/heldout/make_other_engines.sh), so that those sets stay unheard speakers; and its evgeniy-eng and lyubov,
    /// whose licence (CC BY-NC-ND 4.0, <c>/usr/share/doc/rhvoice-english/copyright</c>) forbids commercial use.
    /// </summary>
    public static readonly IReadOnlyList<EngineVoice> EngineVoices =
    [
        new("pico-en-us", SpeechEngine.Pico, "en-US"), new("pico-en-gb", SpeechEngine.Pico, "en-GB"),
        new("rhvoice-bdl", SpeechEngine.RHVoice, "bdl"), new("rhvoice-clb", SpeechEngine.RHVoice, "clb"),
    ];

    // The other-language voices that speak English with their accent through espeak-ng's phonemes (Accent).
    private static readonly IReadOnlyList<string> AccentVoices = [.. Accent.All.Select(a => a.Voice)];

    /// <summary>The voices of espeak-ng's own synthesiser: <see cref="EnglishVoices"/> and the accents (<see cref="Accent"/>).</summary>
    public static readonly IReadOnlyList<string> EspeakVoices = [.. EnglishVoices, .. AccentVoices];

    /// <summary>
    /// Every voice: espeak-ng's English ones, the MBROLA ones, the other engines' ones, then the other-language voices
    /// that speak English with their accent through espeak-ng's phonemes (<see cref="Accent"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> Voices =
        [.. EnglishVoices, .. MbrolaVoices.Select(v => v.Voice), .. EngineVoices.Select(v => v.Voice), .. AccentVoices];

    /// <summary>
    /// The default voices: <see cref="Voices"/> without the MBROLA ones that are not installed, and without the other
    /// engines' voices, which <c>--voices</c> names: their effect on training is not measured yet (bench/results/voices.md).
    /// </summary>
    public static IReadOnlyList<string> InstalledVoices() => InstalledVoices(MbrolaVoice.DefaultRoot);

    internal static IReadOnlyList<string> InstalledVoices(string mbrolaRoot) =>
        [.. Voices.Where(v => EngineOf(v) is null && (MbrolaOf(v) is not { } mbrola || mbrola.IsInstalledIn(mbrolaRoot)))];

    /// <summary>The MBROLA database of a voice, or null for a voice of espeak-ng's own synthesiser.</summary>
    public static MbrolaVoice? MbrolaOf(string voice) => Mbrolas.GetValueOrDefault(voice);

    private static readonly Dictionary<string, MbrolaVoice> Mbrolas = MbrolaVoices.ToDictionary(v => v.Voice, StringComparer.Ordinal);

    /// <summary>The other engine that speaks a voice, or null for a voice of espeak-ng (its own or MBROLA's).</summary>
    public static EngineVoice? EngineOf(string voice) => Engines.GetValueOrDefault(voice);

    private static readonly Dictionary<string, EngineVoice> Engines = EngineVoices.ToDictionary(v => v.Voice, StringComparer.Ordinal);

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

    /// <summary>Every variant a configuration can have: espeak-ng's (<see cref="Variants"/>) and the other engines' (<see cref="EngineVoice.PitchVariants"/>).</summary>
    public static readonly IReadOnlyList<string> AllVariants = [.. Variants, .. EngineVoice.PitchVariants];

    /// <summary>The share of clips spoken with a foreign accent when both kinds of voice are available.</summary>
    public const double AccentShare = 0.3;

    /// <summary>The accent of an other-language voice, or null for an English voice.</summary>
    public static Accent? AccentOf(string voice) => Accents.GetValueOrDefault(voice);

    private static readonly Dictionary<string, Accent> Accents = Accent.All.ToDictionary(a => a.Voice, StringComparer.Ordinal);

    /// <summary>
    /// Every installed voice with each of its engine's variants (espeak-ng's for espeak-ng's and MBROLA's voices,
    /// <see cref="EngineVoice.PitchVariants"/> for the other engines'), or the given subsets; unknown names, voices that
    /// are not installed and voices left without a variant of their engine are input errors.
    /// </summary>
    public static IReadOnlyList<VoiceConfiguration> Configurations(IReadOnlyList<string>? voices = null, IReadOnlyList<string>? variants = null) =>
        Configurations(voices, variants, MbrolaVoice.DefaultRoot, v => v.IsInstalled());

    internal static IReadOnlyList<VoiceConfiguration> Configurations(IReadOnlyList<string>? voices, IReadOnlyList<string>? variants, string mbrolaRoot,
        Func<EngineVoice, bool> isInstalled)
    {
        var chosenVoices = voices is null ? InstalledVoices(mbrolaRoot) : Check(voices, Voices, "voice");
        if (chosenVoices.Select(MbrolaOf).FirstOrDefault(m => m is not null && !m.IsInstalledIn(mbrolaRoot)) is { } missing)
            throw new TfCrnnException($"espeak-ng voice '{missing.Voice}' speaks through the MBROLA database {missing.Database}, which is not " +
                $"installed in {mbrolaRoot}: install the Debian packages mbrola and {missing.Package} (contrib and non-free; " +
                "scripts/install-deps.sh does it)");
        if (chosenVoices.Select(EngineOf).FirstOrDefault(e => e is not null && !isInstalled(e)) is { } absent)
            throw new TfCrnnException($"voice '{absent.Voice}' is spoken by {absent.EngineTitle}, which is not installed ({absent.Executable} and " +
                $"{absent.DataPath}): install the Debian packages {absent.Packages} (non-free; scripts/install-deps.sh does it)");
        var chosenVariants = Check(variants, AllVariants, "variant");
        IReadOnlyList<VoiceConfiguration> Of(string voice)
        {
            var own = EngineOf(voice) is null ? Variants : EngineVoice.PitchVariants;
            var chosen = chosenVariants.Where(own.Contains).ToList();
            if (chosen.Count == 0)
                throw new TfCrnnException($"voice '{voice}' has none of the variants given; its variants: {string.Join(", ", own)}");
            return [.. chosen.Select(x => new VoiceConfiguration(voice, x))];
        }
        return [.. chosenVoices.SelectMany(Of)];
    }

    /// <summary>
    /// A configuration from <paramref name="pool"/>: accented with probability <see cref="AccentShare"/> (when the pool
    /// has both kinds), then a voice of that kind and one of its configurations, each uniformly, so that a voice's share
    /// does not depend on how many variants its engine has.
    /// </summary>
    public static VoiceConfiguration Draw(IReadOnlyList<VoiceConfiguration> pool, Random random)
    {
        var accented = random.NextDouble() < AccentShare;
        var kind = pool.Where(c => (AccentOf(c.Voice) is not null) == accented).ToList();
        var from = kind.Count > 0 ? kind : pool;
        var voices = from.Select(c => c.Voice).Distinct().ToList();
        var voice = voices[random.Next(voices.Count)];
        var ofVoice = from.Where(c => c.Voice == voice).ToList();
        return ofVoice[random.Next(ofVoice.Count)];
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
                throw new TfCrnnException($"unknown {kind} '{name}'; known {kind}s: {string.Join(", ", known)}");
        return requested.Distinct(StringComparer.Ordinal).ToList();
    }
}
