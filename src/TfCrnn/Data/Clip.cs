namespace TfCrnn.Data;

/// <summary>One Speech Commands clip.</summary>
/// <param name="RelativePath"><c>&lt;word&gt;/&lt;name&gt;.wav</c> relative to the dataset root, '/' separators.</param>
/// <param name="Label">The word (the clip's folder); a model's <see cref="Runtime.LabelSet"/> gives its class (<see cref="DatasetLabels.ClassOf"/>).</param>
/// <param name="Split">Train, validation or test, from the split lists or the hash rule.</param>
public sealed record Clip(string RelativePath, string Label, Split Split);
