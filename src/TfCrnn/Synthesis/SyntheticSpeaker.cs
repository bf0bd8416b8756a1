using System.Security.Cryptography;
using System.Text;
using TfCrnn.Data;

namespace TfCrnn.Synthesis;

/// <summary>
/// One synthetic "speaker": an espeak-ng voice and variant with its speed (words/min), pitch (0-99),
/// amplitude (0-200) and word gap (10 ms units). <see cref="Id"/>, a short hash of the settings, plays the
/// role of the dataset's speaker hash, so the split rule keeps all of a speaker's clips together.
/// </summary>
public sealed record SyntheticSpeaker(string Voice, string Variant, int Speed, int Pitch, int Amplitude, int WordGap)
{
    // espeak-ng's own English voices (the mbrola ones need extra packages).
    private static readonly string[] Voices =
        ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];

    private static readonly string[] Variants =
        ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "klatt", "klatt2", "klatt3"];

    // Split of the n-th speaker: 8 train, 1 valid, 1 test in every 10, valid and test early so small sets have all three.
    private static readonly Split[] SplitPattern =
        [Split.Train, Split.Valid, Split.Test, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train];

    public string Id { get; } = Convert.ToHexStringLower(
        SHA1.HashData(Encoding.UTF8.GetBytes($"{Voice}+{Variant} s{Speed} p{Pitch} a{Amplitude} g{WordGap}")))[..8];

    public Split Split => SplitRule.Of(ClipName(0));

    public string ClipName(int repetition) => $"{Id}_nohash_{repetition}.wav";

    /// <summary>espeak-ng arguments that speak <paramref name="word"/> as a WAV on stdout.</summary>
    public IEnumerable<string> EspeakArguments(string word) =>
        ["-v", $"{Voice}+{Variant}", "-s", $"{Speed}", "-p", $"{Pitch}", "-a", $"{Amplitude}", "-g", $"{WordGap}", "--stdout", word];

    /// <summary><paramref name="count"/> distinct speakers drawn from <paramref name="seed"/>, whose hash splits follow 8:1:1 with every split present from 3 speakers on.</summary>
    public static IReadOnlyList<SyntheticSpeaker> Draw(int count, int seed)
    {
        var random = new Random(Seeds.Mix(seed, 0x5EA4E2));
        var waiting = Enum.GetValues<Split>().ToDictionary(s => s, _ => new Queue<SyntheticSpeaker>());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var speakers = new List<SyntheticSpeaker>(count);
        while (speakers.Count < count)
        {
            var wanted = SplitPattern[speakers.Count % SplitPattern.Length];
            if (waiting[wanted].TryDequeue(out var ready))
            {
                speakers.Add(ready);
                continue;
            }
            var candidate = new SyntheticSpeaker(
                Voices[random.Next(Voices.Length)], Variants[random.Next(Variants.Length)],
                Speed: random.Next(120, 211), Pitch: random.Next(20, 81), Amplitude: random.Next(70, 161), WordGap: random.Next(0, 11));
            if (seen.Add(candidate.Id))
                waiting[candidate.Split].Enqueue(candidate);
        }
        return speakers;
    }
}
