using TfCrnn.Audio;
using TfCrnn.Training;

namespace TfCrnn.Tests.Support;

/// <summary>
/// A tiny Speech Commands-layout dataset on disk whose words are tones of different pitch, noise
/// and length, so that a small model learns it in a few epochs. Split lists are written explicitly.
/// </summary>
internal sealed class ToneDataset : IDisposable
{
    public static readonly string[] Words = ["down", "go", "left", "no", "up", "yes"];

    private readonly TempDirectory directory = new("tones");

    /// <summary>Words that are not commands, for tasks with a rejection class: tones above the commands' pitches.</summary>
    public static readonly string[] OtherWords = ["hello", "world"];

    /// <param name="otherWords">Also write <see cref="OtherWords"/> folders.</param>
    /// <param name="noiseRecordings">Background-noise recordings (3 s of white noise each) to write.</param>
    public ToneDataset(int trainPerWord = 12, int validPerWord = 3, int testPerWord = 3, int seed = 1, bool otherWords = false,
        int noiseRecordings = 0)
    {
        var random = new Random(seed);
        var valid = new List<string>();
        var test = new List<string>();
        string[] words = otherWords ? [.. Words, .. OtherWords] : Words;
        for (var w = 0; w < words.Length; w++)
        {
            Directory.CreateDirectory(directory.Combine(words[w]));
            for (var i = 0; i < trainPerWord + validPerWord + testPerWord; i++)
            {
                var relative = $"{words[w]}/{w:x2}{i:x6}_nohash_0.wav";
                WavFile.WritePcm16(directory.Combine(relative), Tone(w, random), 16000);
                if (i >= trainPerWord + validPerWord) test.Add(relative);
                else if (i >= trainPerWord) valid.Add(relative);
            }
        }
        for (var n = 0; n < noiseRecordings; n++)
            WavFile.WritePcm16(directory.Combine("_background_noise_", $"noise{n}.wav"),
                [.. Enumerable.Range(0, 48000).Select(_ => (float)(0.2 * (random.NextDouble() - 0.5)))], 16000);
        File.WriteAllLines(directory.Combine("validation_list.txt"), valid);
        File.WriteAllLines(directory.Combine("testing_list.txt"), test);
    }

    public string Path => directory.Path;

    /// <summary>Training options small enough for tests: width 8, GRU state 16, batches of 8, one thread.</summary>
    public static TrainingOptions TinyTraining(string dataPath, string output, string variant) => new()
    {
        DataPath = dataPath,
        Variant = variant,
        OutputDirectory = output,
        Width = 8,
        HiddenSize = 16,
        BatchSize = 8,
        Threads = 1,
    };

    /// <summary>
    /// A set of recordings in word folders without split lists, as a real-speech set is laid out: one tone clip in
    /// <c>folder/WORD/</c> for each entry of <paramref name="words"/>.
    /// </summary>
    public static void WriteWordFolders(string folder, IEnumerable<string> words, int seed = 3)
    {
        var random = new Random(seed);
        foreach (var (word, i) in words.Select((w, i) => (w, i)))
        {
            Directory.CreateDirectory(System.IO.Path.Combine(folder, word));
            WavFile.WritePcm16(System.IO.Path.Combine(folder, word, $"speaker{i}_nohash_0.wav"), Tone(i, random), 16000);
        }
    }

    /// <summary>Word <paramref name="word"/>: a tone at 200·2^(word/2) Hz with random phase, loudness and length.</summary>
    public static float[] Tone(int word, Random random)
    {
        var length = random.Next(12000, 16001);
        var frequency = 200 * Math.Pow(2, word / 2.0);
        var amplitude = 0.05 + 0.1 * random.NextDouble();
        var phase = random.NextDouble() * 2 * Math.PI;
        return Enumerable.Range(0, length).Select(t =>
            (float)(amplitude * Math.Sin(2 * Math.PI * frequency * t / 16000 + phase) + 0.005 * (random.NextDouble() - 0.5))).ToArray();
    }

    public void Dispose() => directory.Dispose();
}
