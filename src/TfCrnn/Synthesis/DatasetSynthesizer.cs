using System.Globalization;
using System.Text;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Progress;

namespace TfCrnn.Synthesis;

/// <summary>
/// Writes a synthetic Speech Commands dataset: each command, and each non-keyword word or phrase in its own
/// folder (as the real dataset's non-target words), spoken by voice configurations (espeak-ng's, SVOX Pico's, RHVoice's) with a fresh
/// delivery per clip, resampled to 16 kHz, trimmed, placed at a random offset inside one second, with optional
/// low noise; 16-bit mono WAV in the dataset's layout, long recordings in <c>_background_noise_/</c>, split lists
/// by the hash rule (each voice configuration in one split) and <c>voices.csv</c>. Held-out configurations speak
/// only in extra test clips, in the same dataset or in one of their own.
/// </summary>
public static class DatasetSynthesizer
{
    /// <summary>The error when espeak-ng is not installed, with how to install it.</summary>
    public const string MissingEspeakMessage = EspeakNg.MissingMessage;

    /// <summary>The file listing each voice configuration with its speaker id and split.</summary>
    public const string VoicesFile = "voices.csv";

    private const string VoicesHeader = "voice,variant,speaker_id,split,held_out,clips";

    // Split of the n-th clip of a word: 8 train, 1 valid, 1 test in every 10, valid and test early so that small sets have all three.
    private static readonly Split[] SplitPattern =
        [Split.Train, Split.Valid, Split.Test, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train, Split.Train];

    /// <summary>The fewest clips per word that give every word a clip in each split (3).</summary>
    public static int ClipsPerWordForEverySplit { get; } = Enum.GetValues<Split>().Max(split => Array.IndexOf(SplitPattern, split)) + 1;

    /// <summary>One clip to synthesise: everything about it is decided before any is spoken, so the output does not depend on thread timing.</summary>
    private sealed record ClipJob(string Folder, string Text, VoiceConfiguration Voice, Delivery Delivery, Random Random, bool HeldOut)
    {
        public string RelativePath { get; init; } = "";
    }

    /// <summary>The <c>synth</c> verb: writes the dataset, resuming one that was interrupted.</summary>
    public static async Task<SynthesisResult> RunAsync(SynthesisOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await EspeakNg.CheckAsync(options.Espeak, cancellationToken);
        var splits = new SpeakerSplits(VoiceCatalog.Configurations(options.Voices, options.Variants), options.IsHeldOut);
        var jobs = Plan(options, splits);
        var speaker = new VoiceSpeaker(options.Espeak);
        var heldOutRoot = options.HeldOutOutputDirectory ?? options.OutputDirectory;

        var completed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(jobs, parallel, async (job, token) =>
        {
            var speech = await speaker.SayAsync(job.Voice, job.Delivery, job.Text, Preprocessing.ClipSamples, token);
            var clip = PlaceInSecond(speech, job.Random, options.Noise);
            WavFile.WritePcm16(Path.Combine(job.HeldOut ? heldOutRoot : options.OutputDirectory, job.RelativePath), clip, SpeechCommandsDataset.SampleRate);
            progress?.Report(new TaskProgress("synthesising clips", Interlocked.Increment(ref completed), jobs.Count));
        });

        var separate = options.HeldOutOutputDirectory is not null;
        var main = jobs.Where(j => !(separate && j.HeldOut)).ToList();
        var noiseFiles = await WriteDatasetFilesAsync(options, options.OutputDirectory, main, splits, speaker, splits.In(Split.Train), progress, cancellationToken);
        if (separate)
            await WriteDatasetFilesAsync(options, heldOutRoot, jobs.Where(j => j.HeldOut).ToList(), splits, speaker, splits.HeldOut, progress, cancellationToken);
        var bySplit = main.ToLookup(j => splits.SplitOf(j.Voice));
        return new SynthesisResult(main.Count, main.Count(j => !Labels.TryIndexOf(j.Folder, out _)), main.Select(j => j.Voice).Distinct().Count(),
            bySplit[Split.Train].Count(), bySplit[Split.Valid].Count(), bySplit[Split.Test].Count(), noiseFiles, jobs.Count(j => j.HeldOut));
    }

    /// <summary>
    /// Every clip with its voice, delivery and file name: the n-th clip of a folder speaks in split <c>SplitPattern[n % 10]</c>,
    /// then the folder's held-out clips.
    /// </summary>
    private static List<ClipJob> Plan(SynthesisOptions options, SpeakerSplits splits)
    {
        var commands = (options.Words ?? Labels.All).Select(w => (Folder: w, Text: w, Clips: options.ClipsPerWord, HeldOut: options.HeldOutClipsPerWord));
        var nonKeywords = Vocabulary.NonKeywords.Take(options.NonKeywordWords)
            .Select(e => (Folder: Vocabulary.FolderName(e), Text: e, Clips: options.NonKeywordClipsPerWord, HeldOut: options.HeldOutNonKeywordClips));
        var folders = commands.Concat(nonKeywords).ToList();
        var commandCount = folders.Count - options.NonKeywordWords;
        var jobs = new List<ClipJob>();
        var slot = 0;
        foreach (var (folder, index) in folders.Select((f, i) => (f, i)))
        {
            // Each command starts the pattern afresh; the non-keywords continue it from one word to the next, so that
            // few clips per word still fill every split.
            if (index <= commandCount)
                slot = 0;
            var repetitions = new Dictionary<string, int>(StringComparer.Ordinal);
            ClipJob Job(VoiceConfiguration voice, Random random, bool heldOut)
            {
                var id = splits.IdOf(voice);
                var repetition = repetitions.GetValueOrDefault(id);
                repetitions[id] = repetition + 1;
                return new ClipJob(folder.Folder, folder.Text, voice, Delivery.Draw(random), random, heldOut)
                {
                    RelativePath = $"{folder.Folder}/{id}_nohash_{repetition}.wav",
                };
            }
            for (var clip = 0; clip < folder.Clips; clip++, slot++)
            {
                var random = new Random(Seeds.Mix(options.Seed, (long)index << 32 | (uint)clip));
                jobs.Add(Job(VoiceCatalog.Draw(splits.In(SplitPattern[slot % SplitPattern.Length]), random), random, heldOut: false));
            }
            for (var clip = 0; clip < folder.HeldOut && splits.HeldOut.Count > 0; clip++)
            {
                var random = new Random(Seeds.Mix(options.Seed, 1L << 62 | (long)index << 32 | (uint)clip));
                jobs.Add(Job(VoiceCatalog.Draw(splits.HeldOut, random), random, heldOut: true));
            }
        }
        return jobs;
    }

    /// <summary>
    /// The voice configurations of a dataset folder that this class wrote, with the clips each spoke, from its
    /// <see cref="VoicesFile"/>; null for a folder without one, or whose file this class did not write (another dataset).
    /// </summary>
    internal static IReadOnlyList<(VoiceConfiguration Configuration, int Clips)>? ReadSpeakers(string root)
    {
        var file = Path.Combine(root, VoicesFile);
        if (!File.Exists(file))
            return null;
        var lines = File.ReadAllLines(file);
        if (lines.Length == 0 || lines[0] != VoicesHeader)
            return null;
        var columns = VoicesHeader.Split(',').Length;
        return [.. lines.Skip(1).Select(l => l.Split(',')).Where(r => r.Length == columns)
            .Select(r => (new VoiceConfiguration(r[0], r[1]), int.Parse(r[^1], CultureInfo.InvariantCulture)))];
    }

    /// <summary>The split lists, <see cref="VoicesFile"/> and <see cref="BackgroundNoise"/>'s recordings of one dataset folder.</summary>
    /// <returns>The number of background recordings written.</returns>
    private static async Task<int> WriteDatasetFilesAsync(SynthesisOptions options, string root, List<ClipJob> jobs, SpeakerSplits splits,
        VoiceSpeaker speaker, IReadOnlyList<VoiceConfiguration> babbleVoices, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        var bySplit = jobs.ToLookup(j => splits.SplitOf(j.Voice), j => j.RelativePath);
        WriteList(root, "validation_list.txt", bySplit[Split.Valid]);
        WriteList(root, "testing_list.txt", bySplit[Split.Test]);
        var voices = new StringBuilder(VoicesHeader + "\n");
        foreach (var group in jobs.GroupBy(j => j.Voice).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            voices.Append(CultureInfo.InvariantCulture,
                $"{group.Key.Voice},{group.Key.Variant},{splits.IdOf(group.Key)},{splits.SplitOf(group.Key).ToString().ToLowerInvariant()}," +
                $"{(options.IsHeldOut(group.Key) ? "yes" : "no")},{group.Count()}\n");
        AtomicFile.WriteAllText(Path.Combine(root, VoicesFile), voices.ToString());

        var samples = (int)Math.Round(options.BackgroundNoiseSeconds * SpeechCommandsDataset.SampleRate);
        if (samples == 0)
            return 0;
        var completed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(BackgroundNoise.Names.Select((name, i) => (name, i)), parallel, async (noise, token) =>
        {
            var random = new Random(Seeds.Mix(options.Seed, 0xB6L << 40 | (uint)noise.i));
            var recording = await BackgroundNoise.GenerateAsync(noise.name, samples, random, speaker, babbleVoices, token);
            WavFile.WritePcm16(Path.Combine(root, BackgroundNoise.Folder, noise.name + ".wav"), recording, SpeechCommandsDataset.SampleRate);
            progress?.Report(new TaskProgress("background noise", Interlocked.Increment(ref completed), BackgroundNoise.Names.Count));
        });
        return BackgroundNoise.Names.Count;
    }

    private static void WriteList(string directory, string name, IEnumerable<string> paths) =>
        AtomicFile.WriteAllText(Path.Combine(directory, name), string.Concat(paths.Order(StringComparer.Ordinal).Select(p => p + "\n")));

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
