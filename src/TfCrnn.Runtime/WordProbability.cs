namespace TfCrnn.Runtime;

/// <summary>A word and its probability.</summary>
public sealed record WordProbability(string Word, float Probability);
