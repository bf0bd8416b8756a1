namespace TfCrnn.Data;

/// <summary>One Speech Commands clip.</summary>
/// <param name="RelativePath"><c>&lt;word&gt;/&lt;name&gt;.wav</c> relative to the dataset root, '/' separators.</param>
/// <param name="Label">The word (the clip's folder).</param>
/// <param name="LabelIndex">The word's index in <see cref="Labels.All"/>.</param>
/// <param name="Split">Train, validation or test, from the split lists or the hash rule.</param>
public sealed record Clip(string RelativePath, string Label, int LabelIndex, Split Split);
