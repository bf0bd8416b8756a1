using TfCrnn.Runtime;

namespace TfCrnn.Data;

/// <summary>The 35 Speech Commands v0.02 words; class index = alphabetical position (docs/reference-implementation.md, "Data").</summary>
internal static class Labels
{
    public static IReadOnlyList<string> All => LabelTasks.Commands.Classes.Labels;

    public static int Count => All.Count;

    public static bool TryIndexOf(string word, out int index)
    {
        index = LabelTasks.Commands.Classes.IndexOf(word) ?? -1;
        return index >= 0;
    }

    /// <summary>The class index of a word, or an error listing the valid words.</summary>
    public static int IndexOf(string word) => TryIndexOf(word, out var i)
        ? i
        : throw new ArgumentException($"unknown label '{word}'; expected one of the 35 Speech Commands words");
}
