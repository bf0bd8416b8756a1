namespace TfCrnn.Synthesis;

/// <summary>
/// English with a foreign accent: the English phonemes of a text (as espeak-ng's <see cref="Dialect"/> voice
/// transcribes it) spoken by another language's voice, so that its own phoneme realisations, rhythm and
/// intonation colour the words. Reading the English spelling with the other language's rules would say other
/// words (German reads "five" as "fiːvə"), so the phonemes are passed instead (<c>[[...]]</c>), each mapped to one
/// the language has (<see cref="Inventory"/>: espeak-ng drops a phoneme its table lacks and everything after it)
/// and then by the well-known sound substitutions of its speakers (<see cref="Transfer"/>, for example German
/// w → v and th → s). A transfer that would turn a word into a command (Italian "three" → "tree") is not
/// applied to that word.
/// </summary>
/// <param name="Voice">The espeak-ng language voice (<c>de</c>, <c>ja</c>).</param>
/// <param name="Dialect">The English voice whose transcription is spoken: <c>en</c> (British) or <c>en-us</c>.</param>
/// <param name="Inventory">English phonemes the language's table lacks, with the nearest it has (<c>|</c> separates a sequence).</param>
/// <param name="Transfer">Substitutions typical of the language's speakers; an empty replacement drops the phoneme.</param>
internal sealed record Accent(string Voice, string Dialect, IReadOnlyDictionary<string, string> Inventory, IReadOnlyDictionary<string, string> Transfer)
{
    // The substitutions every probed table shares: espeak-ng's English-only vowels and allophones.
    private static readonly Dictionary<string, string> Reduced = new()
    {
        ["@2"] = "@",
        ["I2"] = "I",
        ["I#"] = "I",
        ["a#"] = "@",
        ["t2"] = "t",
        ["i@3"] = "i@",
        ["3"] = "@",
        ["3:"] = "@:",
    };

    // Languages with five-vowel systems and no diphthongs of their own (probed identically).
    private static readonly Dictionary<string, string> FiveVowels = Merge(Reduced, new()
    {
        ["0"] = "o",
        ["A:"] = "a:",
        ["A@"] = "a:",
        ["E"] = "e",
        ["I"] = "i",
        ["I2"] = "i",
        ["I#"] = "i",
        ["O:"] = "o:",
        ["O2"] = "o",
        ["O@"] = "o:",
        ["U"] = "u",
        ["U@"] = "u:",
        ["V"] = "@",
        ["aI"] = "a|i",
        ["aI@"] = "a|i|e",
        ["aU"] = "a|u",
        ["eI"] = "e:",
        ["oU"] = "o:",
    });

    /// <summary>
    /// The accents: languages whose espeak-ng tables render every phoneme of the vocabulary after mapping
    /// (checked by the tests), chosen for the number of English speakers they stand for. Tone languages
    /// (Mandarin, Vietnamese) are left out: their phoneme input needs tones.
    /// </summary>
    public static readonly IReadOnlyList<Accent> All =
    [
        new("de", "en", Merge(Reduced, new() { ["0"] = "O", ["3"] = "3", ["3:"] = "3:", ["O2"] = "O", ["V"] = "@" }),
            new Dictionary<string, string> { ["w"] = "v", ["D"] = "z", ["T"] = "s", ["V"] = "a" }),
        new("fr-fr", "en", Merge(Reduced, new() { ["0"] = "O", ["A:"] = "a:", ["A@"] = "a:", ["O2"] = "O", ["U"] = "u", ["U@"] = "u:", ["aU"] = "a|u" }),
            new Dictionary<string, string> { ["T"] = "s", ["D"] = "z", ["h"] = "", ["I"] = "i", ["I2"] = "i" }),
        new("es", "en", Merge(Reduced, new() { ["0"] = "O", ["A:"] = "a:", ["A@"] = "a:", ["I"] = "i", ["I2"] = "i", ["I#"] = "i", ["O2"] = "O", ["V"] = "@" }),
            new Dictionary<string, string> { ["v"] = "b", ["z"] = "s", ["V"] = "a", ["dZ"] = "j", ["h"] = "x" }),
        new("it", "en", Merge(Reduced, new() { ["0"] = "O", ["A:"] = "a:", ["A@"] = "a:", ["O2"] = "O", ["V"] = "@" }),
            new Dictionary<string, string> { ["T"] = "t", ["D"] = "d", ["h"] = "", ["I"] = "i", ["V"] = "a" }),
        new("pt-br", "en-us", Merge(Reduced, new() { ["0"] = "O", ["O2"] = "O", ["V"] = "@" }),
            new Dictionary<string, string> { ["T"] = "f", ["D"] = "d", ["I"] = "i", ["V"] = "a" }),
        new("pl", "en", Merge(Reduced, new()
            {
                ["0"] = "O", ["A:"] = "a:", ["A@"] = "a:", ["I"] = "i", ["I2"] = "i", ["I#"] = "i", ["O2"] = "O", ["U"] = "u", ["U@"] = "u:",
                ["V"] = "@", ["aI"] = "a|i", ["aI@"] = "a|i|e", ["aU"] = "a|u", ["eI"] = "e:", ["oU"] = "o:",
            }),
            new Dictionary<string, string> { ["T"] = "f", ["D"] = "d", ["h"] = "x", ["V"] = "a" }),
        new("ru", "en", Merge(Reduced, new() { ["0"] = "O", ["O2"] = "O", ["U"] = "u", ["U@"] = "u:", ["aU"] = "a|u", ["oU"] = "o:", ["t#"] = "t" }),
            new Dictionary<string, string> { ["w"] = "v", ["T"] = "s", ["D"] = "z", ["h"] = "x", ["V"] = "a" }),
        new("hi", "en", Merge(Reduced, new() { ["0"] = "O", ["A:"] = "a:", ["A@"] = "a:", ["O2"] = "O", ["@2"] = "@2" }),
            new Dictionary<string, string> { ["w"] = "v", ["T"] = "t", ["D"] = "d", ["z"] = "dZ" }),
        new("ja", "en-us", FiveVowels,
            new Dictionary<string, string> { ["l"] = "r", ["v"] = "b", ["T"] = "s", ["D"] = "z", ["V"] = "a", ["3:"] = "a:" }),
        new("ko", "en-us", Merge(FiveVowels, new() { ["E"] = "E" }),
            new Dictionary<string, string> { ["f"] = "p", ["v"] = "b", ["z"] = "dZ", ["T"] = "s", ["D"] = "d" }),
        new("ar", "en", Merge(FiveVowels, new() { ["A:"] = "A:", ["A@"] = "A:" }),
            new Dictionary<string, string> { ["p"] = "b", ["v"] = "f", ["tS"] = "S" }),
        new("tr", "en", Merge(Reduced, new() { ["0"] = "O", ["A:"] = "a:", ["A@"] = "a:", ["O2"] = "O", ["V"] = "@" }),
            new Dictionary<string, string> { ["w"] = "v", ["T"] = "t", ["D"] = "d", ["V"] = "a" }),
        new("sw", "en", FiveVowels,
            new Dictionary<string, string> { ["V"] = "a", ["3:"] = "e" }),
    ];

    /// <summary>The phoneme input for one word (espeak-ng tokens such as <c>'a</c>, stress marks in front), joined by <c>|</c>.</summary>
    public string Map(IEnumerable<string> englishPhonemes, bool transfer) =>
        string.Join("|", englishPhonemes.Select(p => MapOne(p, transfer)).Where(p => p.Length > 0));

    private string MapOne(string token, bool transfer)
    {
        var body = token.TrimStart('\'', ',', '%', '=');
        var stress = token[..(token.Length - body.Length)];
        if (transfer && Transfer.TryGetValue(body, out var substituted))
            return substituted.Length == 0 ? "" : stress + substituted;
        return stress + Inventory.GetValueOrDefault(body, body);
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> first, Dictionary<string, string> second)
    {
        var merged = new Dictionary<string, string>(first, StringComparer.Ordinal);
        foreach (var (key, value) in second)
            merged[key] = value;
        return merged;
    }
}
