using System.ComponentModel;
using System.Diagnostics;
using TfCrnn.Audio;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Progress;

namespace TfCrnn.Synthesis;

/// <summary>
/// Writes a synthetic Speech Commands dataset: each word spoken by espeak-ng speakers (voice, variant, speed,
/// pitch, amplitude, word gap), resampled to 16 kHz, trimmed, placed at a random offset inside one second,
/// with optional low noise; 16-bit mono WAV in the dataset's layout, with split lists by the hash rule.
/// </summary>
public static class DatasetSynthesizer
{
    public const string MissingEspeakMessage = "espeak-ng not found; install it with: sudo apt-get install espeak-ng";

    // Samples below this fraction of the clip's peak count as silence when trimming.
    private const float SilenceFraction = 0.02f;

    // Loud voices (high amplitude settings) are scaled down to this peak rather than clipped.
    private const float MaxPeak = 0.9f;

    public static async Task<SynthesisResult> RunAsync(SynthesisOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var words = options.Words ?? Labels.All;
        await CheckEspeakAsync(options.Espeak, cancellationToken);

        var speakers = SyntheticSpeaker.Draw(SpeakerCount(options.ClipsPerWord), options.Seed);
        var jobs = words.SelectMany((word, w) => Enumerable.Range(0, options.ClipsPerWord).Select(i => (Word: word, WordIndex: w, Clip: i))).ToList();
        var completed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Threads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(jobs, parallel, async (job, token) =>
        {
            var speaker = speakers[job.Clip % speakers.Count];
            var random = new Random(Seeds.Mix(options.Seed, (long)job.WordIndex << 32 | (uint)job.Clip));
            var speech = await SpeakAsync(options.Espeak, speaker, job.Word, token);
            var clip = PlaceInSecond(Trim(speech), random, options.Noise);
            var path = Path.Combine(options.OutputDirectory, job.Word, speaker.ClipName(job.Clip / speakers.Count));
            WavFile.WritePcm16(path, clip, SpeechCommandsDataset.SampleRate);
            progress?.Report(new TaskProgress("synthesising clips", Interlocked.Increment(ref completed), jobs.Count));
        });

        var paths = jobs.Select(j => $"{j.Word}/{speakers[j.Clip % speakers.Count].ClipName(j.Clip / speakers.Count)}").ToList();
        var bySplit = paths.ToLookup(SplitRule.Of);
        WriteList(options.OutputDirectory, "validation_list.txt", bySplit[Split.Valid]);
        WriteList(options.OutputDirectory, "testing_list.txt", bySplit[Split.Test]);
        return new SynthesisResult(paths.Count, speakers.Count,
            bySplit[Split.Train].Count(), bySplit[Split.Valid].Count(), bySplit[Split.Test].Count());
    }

    /// <summary>Each speaker says each word about twice, as in the real dataset, but at least 3 speakers so every split is present.</summary>
    private static int SpeakerCount(int clipsPerWord) =>
        clipsPerWord <= 3 ? clipsPerWord : Math.Max(3, (clipsPerWord + 1) / 2);

    private static void WriteList(string directory, string name, IEnumerable<string> paths) =>
        AtomicFile.WriteAllText(Path.Combine(directory, name), string.Concat(paths.Order(StringComparer.Ordinal).Select(p => p + "\n")));

    private static async Task CheckEspeakAsync(string espeak, CancellationToken cancellationToken)
    {
        try
        {
            using var process = Process.Start(StartInfo(espeak, ["--version"]))!;
            await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Win32Exception)
        {
            throw new TfCrnnException(MissingEspeakMessage);
        }
    }

    /// <summary>The word as espeak-ng speaks it, mono at 16 kHz.</summary>
    private static async Task<float[]> SpeakAsync(string espeak, SyntheticSpeaker speaker, string word, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(espeak, speaker.EspeakArguments(word)))!;
        using var wav = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.BaseStream.CopyToAsync(wav, cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var name = $"espeak-ng output for '{word}' ({speaker.Voice}+{speaker.Variant})";
        if (process.ExitCode != 0)
            throw new TfCrnnException($"{name}: espeak-ng failed with exit code {process.ExitCode}: {(await errors).Trim()}");
        wav.Position = 0;
        var audio = WavFile.Read(wav, name);
        return Resampler.Resample(audio.MixDown(), audio.SampleRate, SpeechCommandsDataset.SampleRate);
    }

    private static ProcessStartInfo StartInfo(string espeak, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(espeak)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }

    /// <summary>The speech without the leading and trailing silence espeak-ng adds, its peak limited to <see cref="MaxPeak"/>.</summary>
    internal static float[] Trim(float[] speech)
    {
        var peak = 0f;
        foreach (var sample in speech)
            peak = Math.Max(peak, Math.Abs(sample));
        var threshold = peak * SilenceFraction;
        var first = Array.FindIndex(speech, s => Math.Abs(s) > threshold);
        var last = Array.FindLastIndex(speech, s => Math.Abs(s) > threshold);
        if (first < 0)
            return [];
        var trimmed = speech[first..(last + 1)];
        if (peak > MaxPeak)
            for (var i = 0; i < trimmed.Length; i++)
                trimmed[i] *= MaxPeak / peak;
        return trimmed;
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
