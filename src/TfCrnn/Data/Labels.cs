namespace TfCrnn.Data;

/// <summary>The 35 Speech Commands v0.02 words; class index = alphabetical position (docs/reference-implementation.md, "Data").</summary>
public static class Labels
{
    public static readonly IReadOnlyList<string> All =
    [
        "backward", "bed", "bird", "cat", "dog", "down", "eight", "five", "follow", "forward",
        "four", "go", "happy", "house", "learn", "left", "marvin", "nine", "no", "off",
        "on", "one", "right", "seven", "sheila", "six", "stop", "three", "tree", "two",
        "up", "visual", "wow", "yes", "zero",
    ];

    private static readonly Dictionary<string, int> Index =
        All.Select((word, i) => (word, i)).ToDictionary(p => p.word, p => p.i, StringComparer.Ordinal);

    public static int Count => All.Count;

    public static bool TryIndexOf(string word, out int index) => Index.TryGetValue(word, out index);

    /// <summary>The class index of a word, or an error listing the valid words.</summary>
    public static int IndexOf(string word) => TryIndexOf(word, out var i)
        ? i
        : throw new ArgumentException($"unknown label '{word}'; expected one of the 35 Speech Commands words");
}
