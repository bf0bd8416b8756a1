using System.Globalization;
using System.Text;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Progress;

namespace TfCrnn.Synthesis;

/// <summary>
/// Writes a synthetic Speech Commands dataset: each command, and each non-keyword word or phrase in its own
/// folder (as the real dataset's non-target words), spoken by espeak-ng voice configurations with a fresh
/// delivery per clip, resampled to 16 kHz, trimmed, placed at a random offset inside one second, with optional
/// low noise; 16-bit mono WAV in the dataset's layout, long recordings in <c>_background_noise_/</c>, split lists
/// by the hash rule (each voice configuration in one split) and <c>voices.csv</c>.
/// </summary>
public static class DatasetSynthesizer
{
    public const string MissingEspeakMessage = EspeakNg.MissingMessage;

    /// <summary>The file listing each voice configuration with its speaker id and split.</summary>
    public const string VoicesFile = "voices.csv";

    // Split of the n-th clip of a word: 8 train, 1 valid, 1 test in every 10, valid and test early so that small sets have all three.
    private static readonly Split[] SplitPattern =
        [Split.Train, Split.Valid, Split.Test, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train];

    /// <summary>One clip to synthesise: everything about it is decided before any is spoken, so the output does not depend on thread timing.</summary>
    private sealed record ClipJob(string Folder, string Text, VoiceConfiguration Voice, Delivery Delivery, Random Random)
    {
        public string RelativePath { get; set; } = "";
    }

    public static async Task<SynthesisResult> RunAsync(SynthesisOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await EspeakNg.CheckAsync(options.Espeak, cancellationToken);
        var splits = new SpeakerSplits(VoiceCatalog.Configurations(options.Voices, options.Variants), _ => false);
        var jobs = Plan(options, splits);
        var speaker = new EspeakSpeaker(options.Espeak);

        var completed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(jobs, parallel, async (job, token) =>
        {
            var speech = await speaker.SayAsync(job.Voice, job.Delivery, job.Text, Preprocessing.ClipSamples, token);
            var clip = PlaceInSecond(speech, job.Random, options.Noise);
            WavFile.WritePcm16(Path.Combine(options.OutputDirectory, job.RelativePath), clip, SpeechCommandsDataset.SampleRate);
            progress?.Report(new TaskProgress("synthesising clips", Interlocked.Increment(ref completed), jobs.Count));
        });

        var noiseFiles = await WriteBackgroundNoiseAsync(options, speaker, splits.In(Split.Train), progress, cancellationToken);
        var bySplit = jobs.ToLookup(j => splits.SplitOf(j.Voice), j => j.RelativePath);
        WriteList(options.OutputDirectory, "validation_list.txt", bySplit[Split.Valid]);
        WriteList(options.OutputDirectory, "testing_list.txt", bySplit[Split.Test]);
        WriteVoices(options.OutputDirectory, splits, jobs);
        return new SynthesisResult(jobs.Count, jobs.Count(j => !Labels.TryIndexOf(j.Folder, out _)), jobs.Select(j => j.Voice).Distinct().Count(),
            bySplit[Split.Train].Count(), bySplit[Split.Valid].Count(), bySplit[Split.Test].Count(), noiseFiles);
    }

    /// <summary>Every clip with its voice, delivery and file name; the n-th clip of a folder speaks in split <c>SplitPattern[n % 10]</c>.</summary>
    private static List<ClipJob> Plan(SynthesisOptions options, SpeakerSplits splits)
    {
        var folders = (options.Words ?? Labels.All).Select(w => (Folder: w, Text: w, Clips: options.ClipsPerWord))
            .Concat(Vocabulary.NonKeywords.Take(options.NonKeywordWords)
                .Select(e => (Folder: Vocabulary.FolderName(e), Text: e, Clips: options.NonKeywordClipsPerWord)))
            .ToList();
        var jobs = new List<ClipJob>();
        var commands = (options.Words ?? Labels.All).Count;
        var slot = 0;
        foreach (var (folder, index) in folders.Select((f, i) => (f, i)))
        {
            // Each command starts the pattern afresh; the non-keywords continue it from one word to the next, so that
            // few clips per word still fill every split.
            if (index <= commands)
                slot = 0;
            var repetitions = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var clip = 0; clip < folder.Clips; clip++, slot++)
            {
                var random = new Random(Seeds.Mix(options.Seed, (long)index << 32 | (uint)clip));
                var pool = splits.In(SplitPattern[slot % SplitPattern.Length]);
                var voice = pool[random.Next(pool.Count)];
                var id = splits.IdOf(voice);
                var repetition = repetitions.GetValueOrDefault(id);
                repetitions[id] = repetition + 1;
                jobs.Add(new ClipJob(folder.Folder, folder.Text, voice, Delivery.Draw(random), random)
                {
                    RelativePath = $"{folder.Folder}/{id}_nohash_{repetition}.wav",
                });
            }
        }
        return jobs;
    }

    /// <summary>The recordings of <see cref="BackgroundNoise"/>, babble spoken by training voices only (the folder feeds training).</summary>
    private static async Task<int> WriteBackgroundNoiseAsync(SynthesisOptions options, EspeakSpeaker speaker, IReadOnlyList<VoiceConfiguration> babbleVoices,
        IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        var samples = (int)Math.Round(options.BackgroundNoiseSeconds * SpeechCommandsDataset.SampleRate);
        if (samples == 0)
            return 0;
        var completed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(BackgroundNoise.Names.Select((name, i) => (name, i)), parallel, async (noise, token) =>
        {
            var random = new Random(Seeds.Mix(options.Seed, 0xB6L << 40 | (uint)noise.i));
            var samplesOfNoise = await BackgroundNoise.GenerateAsync(noise.name, samples, random, speaker, babbleVoices, token);
            WavFile.WritePcm16(Path.Combine(options.OutputDirectory, BackgroundNoise.Folder, noise.name + ".wav"), samplesOfNoise,
                SpeechCommandsDataset.SampleRate);
            progress?.Report(new TaskProgress("background noise", Interlocked.Increment(ref completed), BackgroundNoise.Names.Count));
        });
        return BackgroundNoise.Names.Count;
    }

    private static void WriteList(string directory, string name, IEnumerable<string> paths) =>
        AtomicFile.WriteAllText(Path.Combine(directory, name), string.Concat(paths.Order(StringComparer.Ordinal).Select(p => p + "\n")));

    private static void WriteVoices(string directory, SpeakerSplits splits, IEnumerable<ClipJob> jobs)
    {
        var text = new StringBuilder("voice,variant,speaker_id,split,clips\n");
        foreach (var group in jobs.GroupBy(j => j.Voice).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture,
                $"{group.Key.Voice},{group.Key.Variant},{splits.IdOf(group.Key)},{splits.SplitOf(group.Key).ToString().ToLowerInvariant()},{group.Count()}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, VoicesFile), text.ToString());
    }

    /// <summary>One second with the speech at a random offset (cut if longer), plus Gaussian noise of the given deviation.</summary>
    internal static float[] PlaceInSecond(float[] speech, Random random, double noise)
    {
        var clip = new float[Preprocessing.ClipSamples];
        var length = Math.Min(speech.Length, clip.Length);
        var offset = random.Next(clip.Length - length + 1);
        speech.AsSpan(0, length).CopyTo(clip.AsSpan(offset));
        if (noise > 0)
            for (var i = 0; i < clip.Length; i++)
                clip[i] += (float)(noise * NoiseGenerator.Gaussian(random));
        return clip;
    }
}
