using System.Globalization;
using System.Text;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Progress;

namespace TfCrnn.Synthesis;

/// <summary>
/// Writes a long test recording for keyword spotting: keywords, other words, phrases and sentences in a random
/// order with random gaps (exponentially distributed above 0.2 s, so some are short), over background noise
/// that changes every 5-30 s in kind and SNR, with equal-power crossfades. Speech comes from espeak-ng (voices
/// selectable, so that streams can use speakers a model never heard) or from a dataset split, like TensorFlow's
/// streaming test generator (<c>generate_streaming_test_wav.py</c>): its clips' speech is located by
/// <see cref="SpeechBounds"/> and cut out with 50 ms margins and 10 ms fades, and its <c>_background_noise_</c> is the noise.
/// </summary>
public static class StreamSynthesizer
{
    /// <summary>The recording's file name in the output folder.</summary>
    public const string AudioFile = "stream.wav";

    /// <summary>The labels' file name in the output folder.</summary>
    public const string LabelsFile = "labels.csv";

    /// <summary>Every utterance with its kind and source: <c>start_seconds,end_seconds,kind,text,source</c>.</summary>
    public const string EventsFile = "events.csv";

    /// <summary>The first line of the labels file.</summary>
    public const string LabelsHeader = "start_seconds,end_seconds,word";

    private const int SampleRate = SpeechCommandsDataset.SampleRate;
    private const double MinGapSeconds = 0.2;
    private const double MinNoiseSeconds = 5, MaxNoiseSeconds = 30, CrossfadeSeconds = 0.5;
    private const double NoiseBedSeconds = 60;
    private const int ClipMargin = SampleRate / 20, ClipFade = SampleRate / 100;

    private enum Kind { Keyword, NonKeyword, Sentence }

    /// <summary>One thing said in the stream: its audio and where the speech is inside it.</summary>
    private sealed record Utterance(Kind Kind, string Text, string Source, float[] Audio, int SpeechStart, int SpeechEnd);

    /// <summary>The <c>synth --stream</c> verb: writes the recording and its labels.</summary>
    public static async Task<StreamSynthesisResult> RunAsync(StreamSynthesisOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var random = new Random(Seeds.Mix(options.Seed, 0x57BEA4));
        var total = (int)Math.Round(options.Minutes * 60 * SampleRate);
        var kinds = Shuffle(random, [
            .. Enumerable.Repeat(Kind.Keyword, Count(options.EffectiveKeywordsPerMinute, options.Minutes)),
            .. Enumerable.Repeat(Kind.NonKeyword, Count(options.EffectiveNonKeywordsPerMinute, options.Minutes)),
            .. Enumerable.Repeat(Kind.Sentence, Count(options.EffectiveSentencesPerMinute, options.Minutes)),
        ]);
        var warnings = new List<string>();
        var (utterances, noises) = options.DatasetPath is null
            ? await FromEspeakAsync(options, kinds, random, progress, cancellationToken)
            : FromDataset(options, kinds, random, warnings, progress, cancellationToken);

        var stream = new float[total];
        var starts = Place(utterances, stream, random, options.Minutes);
        if (options.BackgroundNoise && utterances.Count > 0)
            AddNoise(stream, noises, ReferenceRms(utterances), random, options.MinSnr, options.MaxSnr);

        Directory.CreateDirectory(options.OutputDirectory);
        var audioPath = Path.Combine(options.OutputDirectory, AudioFile);
        var labelsPath = Path.Combine(options.OutputDirectory, LabelsFile);
        WavFile.WritePcm16(audioPath, stream, SampleRate);
        var placed = utterances.Zip(starts).ToList();
        var labels = new StringBuilder(LabelsHeader + "\n");
        foreach (var (utterance, start) in placed.Where(p => p.First.Kind == Kind.Keyword))
            labels.Append(CultureInfo.InvariantCulture, $"{Seconds(start + utterance.SpeechStart)},{Seconds(start + utterance.SpeechEnd)},{utterance.Text}\n");
        AtomicFile.WriteAllText(labelsPath, labels.ToString());
        var events = new StringBuilder("start_seconds,end_seconds,kind,text,source\n");
        foreach (var (utterance, start) in placed)
            events.Append(CultureInfo.InvariantCulture, $"{Seconds(start + utterance.SpeechStart)},{Seconds(start + utterance.SpeechEnd)}," +
                $"{KindName(utterance.Kind)},{IO.CsvText.Field(utterance.Text)},{IO.CsvText.Field(utterance.Source)}\n");
        AtomicFile.WriteAllText(Path.Combine(options.OutputDirectory, EventsFile), events.ToString());
        var keywords = utterances.Count(u => u.Kind == Kind.Keyword);
        return new StreamSynthesisResult(audioPath, labelsPath, total / (double)SampleRate, keywords, utterances.Count - keywords, warnings);
    }

    private static int Count(double perMinute, double minutes) => (int)Math.Round(perMinute * minutes);

    private static List<T> Shuffle<T>(Random random, List<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    /// <summary>espeak-ng speaks every utterance (words fitted into a second, as in the training clips) at its delivery's level; noise beds are generated.</summary>
    private static async Task<(List<Utterance>, List<float[]>)> FromEspeakAsync(StreamSynthesisOptions options, List<Kind> kinds, Random random,
        IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        await EspeakNg.CheckAsync(options.Espeak, cancellationToken);
        var voices = VoiceCatalog.Configurations(options.Voices, options.Variants);
        var keywords = options.EffectiveKeywords;
        IReadOnlyList<string> nonKeywords = [.. Vocabulary.NonKeywords, .. Labels.All.Except(keywords)];
        var plan = kinds.Select(kind =>
        {
            var text = kind switch
            {
                Kind.Keyword => keywords[random.Next(keywords.Count)],
                Kind.NonKeyword => nonKeywords[random.Next(nonKeywords.Count)],
                _ => Vocabulary.Sentences[random.Next(Vocabulary.Sentences.Count)],
            };
            return (Kind: kind, Text: text, Voice: VoiceCatalog.Draw(voices, random), Delivery: Delivery.Draw(random));
        }).ToList();

        var speaker = new VoiceSpeaker(options.Espeak);
        var utterances = new Utterance[plan.Count];
        var completed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), parallel, async (i, token) =>
        {
            var item = plan[i];
            var maxSamples = item.Kind == Kind.Sentence ? int.MaxValue : Preprocessing.ClipSamples;
            var speech = await speaker.SayAsync(item.Voice, item.Delivery, item.Text, maxSamples, token);
            utterances[i] = new Utterance(item.Kind, item.Text, item.Voice.Name, speech, 0, speech.Length);
            progress?.Report(new TaskProgress("speaking the stream", Interlocked.Increment(ref completed), plan.Count));
        });

        var noises = new List<float[]>();
        foreach (var (name, index) in BackgroundNoise.Names.Select((n, i) => (n, i)).Where(_ => options.BackgroundNoise))
            noises.Add(await BackgroundNoise.GenerateAsync(name, (int)(NoiseBedSeconds * SampleRate),
                new Random(Seeds.Mix(options.Seed, 0xB6L << 40 | (uint)index)), speaker, voices, cancellationToken));
        return ([.. utterances.Where(u => u.Audio.Length > 0)], noises);
    }

    /// <summary>
    /// Clips of the split drawn without replacement (reshuffled when used up): keyword folders for keywords, every other
    /// folder for non-keywords; the dataset's background recordings, or generated noise when it has none.
    /// </summary>
    private static (List<Utterance>, List<float[]>) FromDataset(StreamSynthesisOptions options, List<Kind> kinds, Random random,
        List<string> warnings, IProgress<TaskProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new TaskProgress("listing the dataset", 0, 0));
        var dataset = DatasetRecordings.Open(options.DatasetPath!, cancellationToken);
        var split = options.ParsedSplit;
        var keywords = options.EffectiveKeywords.ToHashSet(StringComparer.Ordinal);
        var inSplit = dataset.Clips.Where(c => c.Split == split).Select(c => c.Path).ToList();
        var keywordClips = inSplit.Where(p => keywords.Contains(DatasetRecordings.FolderOf(p))).ToList();
        var otherClips = inSplit.Where(p => !keywords.Contains(DatasetRecordings.FolderOf(p))).ToList();
        var splitName = options.Split;
        if (kinds.Contains(Kind.Keyword) && keywordClips.Count == 0)
            throw new TfCrnnException($"{options.DatasetPath}: no clips of the keywords in the {splitName} split");
        if (kinds.Contains(Kind.NonKeyword) && otherClips.Count == 0)
        {
            if (!kinds.Contains(Kind.Keyword))
                throw new TfCrnnException($"{options.DatasetPath}: no non-keyword clips in the {splitName} split " +
                    "(folders other than the keywords; choose fewer --keywords)");
            warnings.Add($"{options.DatasetPath} has no non-keyword clips in the {splitName} split (folders other than the keywords); " +
                "the stream has keywords only (choose fewer --keywords to hear the others as non-keywords)");
            kinds.RemoveAll(k => k == Kind.NonKeyword);
        }

        var keywordDraw = new ShuffledDraw(keywordClips, random);
        var otherDraw = new ShuffledDraw(otherClips, random);
        var chosen = kinds.Select(k => (Kind: k, Path: k == Kind.Keyword ? keywordDraw.Next() : otherDraw.Next())).ToList();
        progress?.Report(new TaskProgress("reading clips", 0, 0));
        var audio = dataset.Read(chosen.Select(c => c.Path).Concat(dataset.NoiseFiles).ToHashSet(StringComparer.Ordinal), cancellationToken);

        var utterances = new List<Utterance>();
        var silent = 0;
        foreach (var (kind, path) in chosen)
        {
            var samples = Mono16k(audio[path]);
            if (SpeechBounds.Find(samples) is not { } bounds)
            {
                silent++;
                continue;
            }
            var cutStart = Math.Max(0, bounds.Start - ClipMargin);
            var cut = samples[cutStart..Math.Min(samples.Length, bounds.End + ClipMargin)];
            Fade(cut);
            utterances.Add(new Utterance(kind, DatasetRecordings.FolderOf(path), path, cut, bounds.Start - cutStart, bounds.End - cutStart));
        }
        if (silent > 0)
            warnings.Add($"{silent} chosen clips had no speech above the energy threshold and were left out");

        var noises = dataset.NoiseFiles.Select(p => Mono16k(audio[p])).Where(n => n.Length >= SampleRate && Mixing.Rms(n) > 0).ToList();
        if (noises.Count == 0 && options.BackgroundNoise)
        {
            warnings.Add($"{options.DatasetPath} has no usable {BackgroundNoise.Folder}/ recordings; generated white, pink and brown noise was used");
            noises = [.. new[] { NoiseColor.White, NoiseColor.Pink, NoiseColor.Brown }
                .Select(c => NoiseGenerator.Generate(c, (int)(NoiseBedSeconds * SampleRate), random))];
        }
        return (utterances, noises);
    }

    private static float[] Mono16k(WavAudio audio) => Resampler.Resample(audio.MixDown(), audio.SampleRate, SampleRate);

    /// <summary>Linear fades at both ends, so that a cut clip's own background does not start or stop with a click.</summary>
    private static void Fade(float[] samples)
    {
        var fade = Math.Min(ClipFade, samples.Length / 2);
        for (var i = 0; i < fade; i++)
        {
            var gain = (i + 0.5f) / fade;
            samples[i] *= gain;
            samples[^(i + 1)] *= gain;
        }
    }

    /// <summary>
    /// Adds the utterances to <paramref name="stream"/> in order with random gaps: every gap is at least
    /// <see cref="MinGapSeconds"/>, and the time left is shared out in exponentially distributed parts.
    /// </summary>
    /// <returns>The start sample of each utterance.</returns>
    private static List<int> Place(List<Utterance> utterances, float[] stream, Random random, double minutes)
    {
        var speech = utterances.Sum(u => (long)u.Audio.Length);
        var minGap = (int)(MinGapSeconds * SampleRate);
        var spare = stream.Length - speech - (long)minGap * (utterances.Count + 1);
        if (spare < 0)
            throw new TfCrnnException($"{utterances.Count} utterances ({speech / (double)SampleRate:0.0} s of speech) do not fit in {minutes} minutes " +
                "with gaps; lower the words or sentences per minute");
        var weights = Enumerable.Range(0, utterances.Count + 1).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
        var sum = weights.Sum();
        var starts = new List<int>(utterances.Count);
        double position = 0;
        for (var i = 0; i < utterances.Count; i++)
        {
            position += minGap + spare * weights[i] / sum;
            var start = (int)position;
            starts.Add(start);
            var audio = utterances[i].Audio;
            for (var s = 0; s < audio.Length; s++)
                stream[start + s] += audio[s];
            position += audio.Length;
        }
        return starts;
    }

    /// <summary>The median RMS of the utterances' speech: the level the SNR of the noise refers to.</summary>
    private static double ReferenceRms(List<Utterance> utterances)
    {
        var levels = utterances.Select(u => Mixing.Rms(u.Audio.AsSpan(u.SpeechStart, u.SpeechEnd - u.SpeechStart))).Order().ToList();
        return levels[levels.Count / 2];
    }

    /// <summary>Noise in stretches of 5-30 s, each a random excerpt (looped) of a random bed at a random SNR, joined by equal-power crossfades.</summary>
    private static void AddNoise(float[] stream, List<float[]> beds, double speechRms, Random random, double minSnr, double maxSnr)
    {
        var fade = (int)(CrossfadeSeconds * SampleRate);
        var start = 0;
        while (start < stream.Length)
        {
            var end = (int)Math.Min(stream.Length, start + (MinNoiseSeconds + random.NextDouble() * (MaxNoiseSeconds - MinNoiseSeconds)) * SampleRate);
            // A short remainder joins this stretch rather than making one shorter than the crossfade.
            if (stream.Length - end < 2 * fade)
                end = stream.Length;
            var bed = beds[random.Next(beds.Count)];
            var snr = minSnr + random.NextDouble() * (maxSnr - minSnr);
            var gain = speechRms / Mixing.DecibelsToGain(snr) / Math.Max(Mixing.Rms(bed), 1e-12);
            var offset = random.Next(bed.Length);
            var from = start == 0 ? 0 : start - fade / 2;
            var to = end == stream.Length ? end : end + fade / 2;
            for (var i = from; i < to; i++)
            {
                var weight = 1.0;
                if (start > 0 && i < start + fade / 2)
                    weight = Math.Sin(Math.PI / 2 * (i - from + 0.5) / fade);
                else if (end < stream.Length && i >= end - fade / 2)
                    weight = Math.Cos(Math.PI / 2 * (i - (end - fade / 2) + 0.5) / fade);
                stream[i] += (float)(gain * weight * bed[(offset + i - from) % bed.Length]);
            }
            start = end;
        }
    }

    private static string Seconds(int sample) => (sample / (double)SampleRate).ToString("0.000", CultureInfo.InvariantCulture);

    private static string KindName(Kind kind) => kind switch
    {
        Kind.Keyword => "keyword",
        Kind.NonKeyword => "non-keyword",
        _ => "sentence",
    };

    /// <summary>Items in a random order, reshuffled each time they are used up.</summary>
    private sealed class ShuffledDraw(IReadOnlyList<string> items, Random random)
    {
        private readonly List<string> order = [];

        public string Next()
        {
            if (order.Count == 0)
                order.AddRange(Shuffle(random, items.ToList()));
            var item = order[^1];
            order.RemoveAt(order.Count - 1);
            return item;
        }
    }
}
