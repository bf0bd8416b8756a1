namespace TfCrnn.Synthesis;

/// <summary>
/// How one clip is spoken: espeak-ng's speed (words per minute), pitch (0-99), amplitude (0-200) and gap
/// between words (10 ms units), drawn afresh for every clip.
/// </summary>
public sealed record Delivery(int Speed, int Pitch, int Amplitude, int WordGap)
{
    /// <summary>espeak-ng's fastest speed; fitting a long utterance into a second never asks for more.</summary>
    public const int MaxSpeed = 450;

    /// <summary>A delivery drawn from the synthesiser's ranges.</summary>
    public static Delivery Draw(Random random) => new(
        Speed: random.Next(120, 211), Pitch: random.Next(20, 81), Amplitude: random.Next(70, 161), WordGap: random.Next(0, 11));

    /// <summary>espeak-ng arguments that speak <paramref name="text"/> with <paramref name="voice"/> as a WAV on stdout.</summary>
    public IEnumerable<string> EspeakArguments(VoiceConfiguration voice, string text) =>
        ["-v", voice.Name, "-s", $"{Speed}", "-p", $"{Pitch}", "-a", $"{Amplitude}", "-g", $"{WordGap}", "--stdout", text];
}
