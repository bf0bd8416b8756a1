namespace TfCrnn;

/// <summary>A WAV file or stream that cannot be read; the message names it and the problem.</summary>
public sealed class AudioFormatException : TfCrnnException
{
    /// <param name="nameForErrors">The file or stream, as the message names it.</param>
    /// <param name="problem">What is wrong with it.</param>
    public AudioFormatException(string nameForErrors, string problem)
        : base($"{nameForErrors}: {problem}") { }
}
