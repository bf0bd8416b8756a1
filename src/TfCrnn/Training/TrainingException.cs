namespace TfCrnn.Training;

/// <summary>A run that cannot go on: diverged, or asked to resume something that is not there.</summary>
public sealed class TrainingException(string message) : TfCrnnException(message);
