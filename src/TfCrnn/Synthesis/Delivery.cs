using System.Security;

namespace TfCrnn.Synthesis;

/// <summary>
/// How one clip is spoken, drawn afresh for every clip: espeak-ng's speed (words per minute), base pitch (0-99) and
/// gap between words (10 ms units); per-utterance SSML prosody on top (rate, pitch and pitch range in percent of the
/// voice's own) and the sentence ending, which sets the intonation (statement, question, exclamation or none); and
/// the peak level the trimmed speech is scaled to.
/// </summary>
internal sealed record Delivery(int Speed, int Pitch, int WordGap, int RatePercent, int PitchPercent, int RangePercent, string Ending, double PeakDb)
{
    /// <summary>espeak-ng's fastest speed; fitting a long utterance into a second never asks for more.</summary>
    public const int MaxSpeed = 450;

    // espeak-ng's amplitude: low enough that no variant clips at any pitch or range (the loudest peak at 0.66 of full scale);
    // the level comes from PeakDb afterwards. Its <emphasis> element is not used: it clips at any amplitude.
    private const int Amplitude = 20;

    // espeak-ng's default speed (words a minute): the other engines' rate is relative to it.
    private const int DefaultSpeed = 175;

    private static readonly string[] Endings = ["", ".", "?", "!"];

    /// <summary>
    /// A delivery from the synthesiser's ranges: overall rate 0.75-1.3 × 110-230 words a minute, base pitch 5-95 moved by
    /// ±25 %, pitch range 40-200 %, word gaps up to 250 ms, peak level -20 to -1 dBFS.
    /// </summary>
    public static Delivery Draw(Random random) => new(
        Speed: random.Next(110, 231),
        Pitch: random.Next(5, 96),
        WordGap: random.Next(0, 26),
        RatePercent: random.Next(75, 131),
        PitchPercent: random.Next(-25, 26),
        RangePercent: random.Next(40, 201),
        Ending: Endings[random.Next(Endings.Length)],
        PeakDb: -20 + 19 * random.NextDouble());

    /// <summary>
    /// The speaking rate relative to espeak-ng's default speed, <see cref="Speed"/> and <see cref="RatePercent"/> together
    /// (0.47-1.7 as drawn): the rate of engines that take one in percent (<see cref="EngineVoice"/>).
    /// </summary>
    public double RelativeRate => Speed / (double)DefaultSpeed * RatePercent / 100;

    /// <summary>
    /// espeak-ng arguments that speak <paramref name="text"/> with <paramref name="voice"/> as a WAV on stdout, as SSML;
    /// <paramref name="phonemes"/>, when given, is said instead of the text (espeak-ng's <c>[[...]]</c> phoneme input).
    /// </summary>
    public IEnumerable<string> EspeakArguments(VoiceConfiguration voice, string text, string? phonemes = null)
    {
        // A phoneme string needs a space before the closing tag, or espeak-ng reads the tag as text.
        var body = phonemes is null ? SecurityElement.Escape(text) + Ending : $"[[{phonemes}]]{Ending} ";
        var ssml = $"<speak><prosody rate=\"{RatePercent}%\" pitch=\"{PitchPercent:+0;-0}%\" range=\"{RangePercent}%\">{body}</prosody></speak>";
        return ["-v", voice.Name, "-s", $"{Speed}", "-p", $"{Pitch}", "-a", $"{Amplitude}", "-g", $"{WordGap}", "-m", "--stdout", ssml];
    }
}
