using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// The English speech that is not a command: near-misses, other words and short phrases (the rejection
/// class's words, as the real dataset's non-target words), and sentences for babble noise. No entry is a
/// command, a homophone of one (<see cref="Homophones"/>) or a command with an inflection; every word of a
/// phrase or sentence obeys the same rule (checked by the tests).
/// </summary>
internal static class Vocabulary
{
    /// <summary>Words that sound like a command and are therefore never spoken as non-keywords.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Homophones = new Dictionary<string, IReadOnlyList<string>>
    {
        ["eight"] = ["ate", "ait"],
        ["forward"] = ["foreword", "forwards"],
        ["backward"] = ["backwards"],
        ["four"] = ["for", "fore"],
        ["no"] = ["know", "noh"],
        ["one"] = ["won", "wun"],
        ["right"] = ["write", "rite", "wright"],
        ["six"] = ["sics", "sicks"],
        ["two"] = ["to", "too", "tu"],
        // Differ from the command by voicing alone, which espeak-ng's voices blur.
        ["off"] = ["of"],
        ["on"] = ["an"],
    };

    /// <summary>
    /// Non-keyword words and phrases (a phrase's words joined by spaces; its folder joins them with underscores),
    /// near-misses first, so that taking the first n keeps the hardest ones.
    /// </summary>
    public static readonly IReadOnlyList<string> NonKeywords =
    [
        // Near-misses: one or two sounds away from a command (the command in the comment).
        "bet", "bad", "head",              // bed
        "dug", "log", "dock",              // dog
        "town", "gown", "brown",           // down
        "fine", "hive", "dive",            // five
        "mouse", "blouse", "mouth",        // house
        "step", "shop", "stock",           // stop
        "tune", "tooth", "tool",           // two
        "word", "third", "board",          // bird
        "cut", "hat", "kit",               // cat
        "gate", "late", "bait",            // eight
        "hollow", "fellow", "pillow",      // follow
        "coward", "forest",                // forward
        "awkward", "backpack",             // backward
        "floor", "door", "pour",           // four
        "goat", "grow", "show",            // go
        "hippie", "happen", "puppy",       // happy
        "turn", "earn", "yearn",           // learn
        "lift", "theft", "laughed",        // left
        "marvel", "martin", "carving",     // marvin
        "mine", "line", "pine",            // nine
        "now", "note", "snow",             // no
        "cough", "soft", "golf",           // off
        "gone", "john", "con",             // on
        "fun", "run", "when",              // one
        "bright", "light", "ride",         // right
        "heaven", "eleven", "devon",       // seven
        "sheet", "shield", "feeler",       // sheila
        "fix", "mix", "sick",              // six
        "free", "threw", "thread",         // three
        "treat", "true", "tray",           // tree
        "cup", "hop", "app",               // up
        "usual", "casual", "vision",       // visual
        "how", "vow", "cow",               // wow
        "yet", "mess", "guess",            // yes
        "hero", "arrow", "zebra",          // zero
        // Short phrases.
        "good morning", "thank you", "excuse me", "how are you", "see you later", "what time is it",
        "have a nice day", "hello there", "just a moment", "let me think", "open the window", "close the door",
        "play some music", "turn the page", "call my mother", "where is it", "not now", "pretty good",
        "what is this", "take a break", "never mind", "good luck", "wait a minute", "sounds good", "all done",
        // Everyday words and other numbers.
        "ten", "twelve", "twenty", "thirty", "hundred", "thousand", "million",
        "apple", "banana", "window", "table", "chair", "water", "coffee", "music", "paper", "pencil",
        "garden", "river", "mountain", "yellow", "purple", "orange", "monday", "friday", "summer", "winter",
        "morning", "evening", "kitchen", "doctor", "teacher", "picture", "little", "under", "maybe", "please",
        "thanks", "sorry", "hello", "goodbye", "okay", "open", "close", "volume", "channel", "camera",
        "phone", "computer", "keyboard", "radio", "bottle", "basket", "candle", "jacket", "rabbit", "monkey",
        "tiger", "lemon", "butter", "sugar", "silver", "travel", "market", "animal", "family", "number",
        "letter", "question", "answer", "problem", "minute", "today", "tomorrow", "never", "always", "again",
        "because", "between", "nothing", "people", "money", "pizza", "dinner", "breakfast", "lunch", "button",
        "quiet", "weather", "ocean", "island", "planet", "engine", "wheel", "bridge", "street", "city",
        "village", "blanket", "pocket", "ticket", "rocket", "cookie", "guitar", "pillar", "matter", "season",
    ];

    /// <summary>Sentences with no command in them, for babble (several voices at once).</summary>
    public static readonly IReadOnlyList<string> Sentences =
    [
        "The weather was pleasant all morning and the streets were quiet.",
        "She bought fresh bread and cheese at the market.",
        "We watched a film about the ocean last night.",
        "Please pass the salt and pepper.",
        "The children were playing in the garden after lunch.",
        "His brother works at the hospital near the river.",
        "They planted roses along the fence in spring.",
        "The train arrives at the station at noon.",
        "I think the meeting was moved until Thursday.",
        "Could you bring me some water, please?",
        "The museum has many famous paintings.",
        "Our neighbours have a small garden with fruit bushes.",
        "The coffee in this place is surprisingly good.",
        "He has been reading that book all week.",
        "The store closes early during holidays.",
        "My sister plays the violin in the orchestra.",
        "Petrol prices have risen again.",
        "We should paint the kitchen a lighter colour.",
        "The library is open until late in the evening.",
        "A cold wind blew across the empty field.",
        "They are building a new bridge across the valley.",
        "The soup needs a little more salt.",
        "I met my old friend at the airport last week.",
        "The concert was cancelled because the storm was coming.",
        "Let me check the calendar and call you back.",
        "The printer needs paper again.",
        "Many guests arrived after dinner.",
        "She keeps her keys in a small blue box.",
        "The bus was late and very crowded.",
        "We spent the whole afternoon at the beach.",
    ];

    /// <summary>The folder of a non-keyword: its words joined by underscores (<c>good_morning</c>).</summary>
    public static string FolderName(string entry) => entry.Replace(' ', '_');

    /// <summary>Whether <paramref name="word"/> is a command, a listed homophone of one, or a command with a common ending.</summary>
    public static bool SoundsLikeCommand(string word)
    {
        var w = word.ToLowerInvariant().Trim('.', ',', '?', '!', '\'');
        return Labels.All.Any(c => w == c || Inflections.Any(e => w == c + e))
            || Homophones.Values.Any(h => h.Contains(w, StringComparer.Ordinal));
    }

    private static readonly string[] Inflections = ["s", "es", "ed", "ing", "ty", "teen", "th", "y", "er"];
}
