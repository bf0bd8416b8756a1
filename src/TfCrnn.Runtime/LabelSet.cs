namespace TfCrnn.Runtime;

/// <summary>
/// The classes a model outputs, index = class index. Labels written <c>_like_this_</c> are the rejection classes
/// (<c>_silence_</c>, <c>_unknown_</c>, <c>_none_</c>), as in the Speech Commands dataset's own 12-label task; every
/// other label is a keyword, the only kind a recognizer reports. The toolkit's named training tasks are
/// <c>TfCrnn.Data.LabelTasks</c>.
/// </summary>
public sealed class LabelSet : IEquatable<LabelSet>
{
    /// <summary>Background noise and silence (the 12-label task).</summary>
    public const string Silence = "_silence_";

    /// <summary>Words that are not keywords (the 12-label task).</summary>
    public const string Unknown = "_unknown_";

    /// <summary>Anything that is not a keyword: other words and noise alike.</summary>
    public const string None = "_none_";

    private readonly Dictionary<string, int> index;

    private LabelSet(IReadOnlyList<string> labels)
    {
        Labels = labels;
        index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
            if (string.IsNullOrWhiteSpace(labels[i]) || !index.TryAdd(labels[i], i))
                throw new TfCrnnException($"labels must be distinct and not blank; '{labels[i]}' at index {i} is not");
        KeywordIndices = [.. Enumerable.Range(0, labels.Count).Where(i => IsKeywordLabel(labels[i]))];
        if (KeywordIndices.Count == 0)
            throw new TfCrnnException("a label set needs at least one keyword (a label not written _like_this_)");
    }

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

    /// <summary>The classes of a model, as its config or its metadata lists them.</summary>
    /// <exception cref="TfCrnnException">Blank or repeated labels, or no keyword.</exception>
    public static LabelSet FromLabels(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new LabelSet([.. labels]);
    }

    /// <summary>Two label sets are equal when they list the same labels in the same order.</summary>
    public bool Equals(LabelSet? other) => other is not null && Labels.SequenceEqual(other.Labels, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => Labels.Aggregate(Labels.Count, (hash, label) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(label)));

    public override string ToString() => string.Join(",", Labels);
}
