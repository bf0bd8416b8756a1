namespace TfCrnn.Audio;

/// <summary>A WAV file that cannot be read; the message names the file and the problem.</summary>
public sealed class AudioFormatException : TfCrnnException
{
    public AudioFormatException(string nameForErrors, string problem)
        : base($"{nameForErrors}: {problem}") { }
}
