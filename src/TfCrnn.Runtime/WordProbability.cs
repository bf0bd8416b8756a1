namespace TfCrnn.Runtime;

/// <summary>A word (a class of the model: <paramref name="Class"/> is its index in the labels) and its probability.</summary>
public sealed record WordProbability(string Word, float Probability, int Class);
