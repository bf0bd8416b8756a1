namespace TfCrnn.Runtime;

/// <summary>
/// The classes a model outputs, index = class index. Labels written <c>_like_this_</c> are the rejection classes
/// (<c>_silence_</c>, <c>_unknown_</c>, <c>_none_</c>), as in the Speech Commands dataset's own 12-label task; every
/// other label is a keyword, the only kind a recognizer reports.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    /// <summary>Background noise and silence (the 12-label task).</summary>
    public const string Silence = "_silence_";

    /// <summary>Words that are not keywords (the 12-label task).</summary>
    public const string Unknown = "_unknown_";

    /// <summary>Anything that is not a keyword: other words and noise alike.</summary>
    public const string None = "_none_";

    /// <summary>The 35 Speech Commands v0.02 words in alphabetical order: the paper's task.</summary>
    public static readonly LabelSet Commands = new("commands35",
    [
        "backward", "bed", "bird", "cat", "dog", "down", "eight", "five", "follow", "forward",
        "four", "go", "happy", "house", "learn", "left", "marvin", "nine", "no", "off",
        "on", "one", "right", "seven", "sheila", "six", "stop", "three", "tree", "two",
        "up", "visual", "wow", "yes", "zero",
    ]);

    /// <summary>The 35 commands and one rejection class for everything else.</summary>
    public static readonly LabelSet CommandsAndNone = new("commands35+none", [.. Commands.Labels, None]);

    /// <summary>The dataset's standard 12-label task in TensorFlow's order (silence, unknown, then the ten words).</summary>
    public static readonly LabelSet Standard12 = new("standard12",
        [Silence, Unknown, "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"]);

    /// <summary>The named tasks, default first.</summary>
    public static readonly IReadOnlyList<LabelSet> Named = [Commands, CommandsAndNone, Standard12];

    /// <summary>The names of <see cref="Named"/>, as <c>--task</c> takes them.</summary>
    public static readonly IReadOnlyList<string> TaskNames = [.. Named.Select(n => n.Name!)];

    private readonly Dictionary<string, int> index;

    private LabelSet(string? name, IReadOnlyList<string> labels)
    {
        Name = name;
        Labels = labels;
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
            if (string.IsNullOrWhiteSpace(labels[i]) || !index.TryAdd(labels[i], i))
                throw new TfCrnnException($"labels must be distinct and not blank; '{labels[i]}' at index {i} is not");
        KeywordIndices = [.. Enumerable.Range(0, labels.Count).Where(i => IsKeywordLabel(labels[i]))];
        if (KeywordIndices.Count == 0)
            throw new TfCrnnException("a label set needs at least one keyword (a label not written _like_this_)");
    }

    /// <summary>The task name (<see cref="Named"/>), or null for another list.</summary>
    public string? Name { get; }

    public IReadOnlyList<string> Labels { get; }

    public int Count => Labels.Count;

    /// <summary>Classes a recognizer may report, in class order.</summary>
    public IReadOnlyList<int> KeywordIndices { get; }

    /// <summary>Whether some class stands for "not a keyword".</summary>
    public bool HasRejection => KeywordIndices.Count < Labels.Count;

    public string this[int classIndex] => Labels[classIndex];

    public bool IsKeyword(int classIndex) => IsKeywordLabel(Labels[classIndex]);

    /// <summary>Whether <paramref name="label"/> names a keyword rather than a rejection class.</summary>
    public static bool IsKeywordLabel(string label) =>
        !(label.Length > 2 && label[0] == '_' && label[^1] == '_');

    public int? IndexOf(string label) => index.TryGetValue(label, out var i) ? i : null;

    /// <summary>The named task with these labels, or an unnamed set.</summary>
    public static LabelSet FromLabels(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Named.FirstOrDefault(n => n.Labels.SequenceEqual(labels, StringComparer.Ordinal)) ?? new LabelSet(null, [.. labels]);
    }

    /// <summary>A named task; the error lists the names.</summary>
    public static LabelSet Parse(string name) =>
        Named.FirstOrDefault(n => n.Name == name)
        ?? throw new OptionException("--task", $"must be one of {string.Join(", ", TaskNames)}, got '{name}'");

    /// <summary>Two label sets are equal when they list the same labels in the same order.</summary>
    public bool Equals(LabelSet? other) => other is not null && Labels.SequenceEqual(other.Labels, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => Labels.Aggregate(Labels.Count, (hash, label) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(label)));

    public override string ToString() => Name ?? string.Join(",", Labels);
}
