using System.CommandLine;
using System.Globalization;
using TfCrnn.Cli.Rendering;
using TfCrnn.Synthesis;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn synth</c>: writes the synthetic default dataset, or with <c>--stream</c> a long test recording.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = SharedOptions.Output("Folder to write: the dataset, or with --stream stream.wav, labels.csv and events.csv");
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes the same files.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Synthesiser processes run at once.", DefaultValueFactory = _ => 2 };
        var voices = SharedOptions.Voices();
        var variants = new Option<string?>("--variants")
        {
            Description = $"Variants to speak with, comma-separated; each voice takes those of its engine (default all: the {VoiceCatalog.Variants.Count} of " +
                $"`espeak-ng --voices=variant` but fast, Demonic and Mr serious, and for Pico's and RHVoice's voices {string.Join(",", EngineVoice.PitchVariants)}, " +
                "their base pitch in percent).",
        };

        // The dataset.
        var clipsPerWord = new Option<int>("--clips-per-word") { Description = "Clips per command.", DefaultValueFactory = _ => SynthesisOptions.DefaultClipsPerWord };
        var noise = new Option<double>("--noise")
        {
            Description = "Standard deviation of Gaussian noise added to every clip (full scale 1); 0 for none. The same floor under " +
                "every clip is a cue models learn: vary noise in training instead (--augment +noise).",
            DefaultValueFactory = _ => new SynthesisOptions { OutputDirectory = "" }.Noise,
        };
        var nonKeywordWords = new Option<int>("--non-keyword-words")
        {
            Description = $"Non-keyword words and phrases to speak, each in its own folder (near-misses first; at most {Vocabulary.NonKeywords.Count}); 0 for none.",
            DefaultValueFactory = _ => SynthesisOptions.DefaultNonKeywordWords,
        };
        var nonKeywordClips = new Option<int>("--non-keyword-clips-per-word") { Description = "Clips per non-keyword word or phrase.", DefaultValueFactory = _ => SynthesisOptions.DefaultNonKeywordClipsPerWord };
        var noiseSeconds = new Option<double>("--background-noise-seconds")
        {
            Description = $"Length of each recording in _background_noise_/ ({string.Join(", ", BackgroundNoise.Names)}); 0 for none.",
            DefaultValueFactory = _ => SynthesisOptions.DefaultBackgroundNoiseSeconds,
        };

        var holdOutVoices = new Option<string?>("--hold-out-voices") { Description = "Voices heard only in held-out test clips, never in train or valid, comma-separated." };
        var holdOutVariants = new Option<string?>("--hold-out-variants") { Description = "Variants heard only in held-out test clips, never in train or valid, comma-separated." };
        var heldOutClips = new Option<int>("--held-out-clips-per-word")
        {
            Description = "Held-out clips per command (non-keywords get the same share of theirs).",
            DefaultValueFactory = _ => SynthesisOptions.DefaultHeldOutClipsPerWord,
        };
        var heldOutOut = new Option<string?>("--held-out-out") { Description = "Write the held-out clips as a dataset of their own in this folder instead of the test split." };

        // The stream.
        var stream = new Option<bool>("--stream") { Description = "Write one long recording of keywords among other speech, gaps and noise, with labels.csv (start_seconds,end_seconds,word)." };
        var minutes = new Option<double>("--minutes") { Description = "Stream length in minutes.", DefaultValueFactory = _ => 5 };
        var keywordsPerMinute = new Option<double>("--keywords-per-minute") { Description = "Keywords per minute.", DefaultValueFactory = _ => 20 };
        var nonKeywordsPerMinute = new Option<double?>("--non-keywords-per-minute") { Description = "Other words and phrases per minute (default 10, with --no-keywords 20)." };
        var sentencesPerMinute = new Option<double?>("--sentences-per-minute") { Description = "Non-command sentences per minute, espeak-ng only (default 2, with --no-keywords 6)." };
        var noKeywords = new Option<bool>("--no-keywords") { Description = "No keywords: a stream for counting false alarms (labels.csv has only its header)." };
        var keywords = new Option<string?>("--keywords") { Description = "Commands that are keywords, comma-separated (default all 35); other commands count as non-keywords." };
        var snr = new Option<string>("--snr") { Description = "Background noise SNR range MIN,MAX in dB against the median speech level.", DefaultValueFactory = _ => "5,25" };
        var noNoise = new Option<bool>("--no-noise") { Description = "No background noise." };
        var from = new Option<string?>("--from") { Description = "Build the stream from a Speech Commands dataset (folder or .tar.gz): its clips of --split and its _background_noise_." };
        var split = new Option<string>("--split") { Description = "With --from: the split whose clips are used (train, valid or test).", DefaultValueFactory = _ => "test" };

        var command = new Command("synth",
            "Synthesise a Speech Commands-style dataset with espeak-ng voices (and MBROLA's, SVOX Pico's and RHVoice's where installed; the 35 commands, non-keyword words and phrases, background noise), " +
            "or with --stream a long recording of keywords among other speech for testing keyword spotting.")
        {
            output, seed, threads, voices, variants,
            clipsPerWord, noise, nonKeywordWords, nonKeywordClips, noiseSeconds, holdOutVoices, holdOutVariants, heldOutClips, heldOutOut,
            stream, minutes, keywordsPerMinute, nonKeywordsPerMinute, sentencesPerMinute, noKeywords, keywords, snr, noNoise, from, split,
        };
        command.SetAction((parse, cancellationToken) => Interruption.HandleAsync(async () =>
        {
            var isStream = parse.GetValue(stream);
            StreamSynthesisOptions.CheckMode(isStream, parse.Given());
            if (isStream)
            {
                var (minSnr, maxSnr) = ParseRange(parse.GetValue(snr)!, "--snr");
                var options = new StreamSynthesisOptions
                {
                    OutputDirectory = parse.GetValue(output)!,
                    Minutes = parse.GetValue(minutes),
                    Seed = parse.GetValue(seed),
                    KeywordsPerMinute = parse.GetValue(keywordsPerMinute),
                    NonKeywordsPerMinute = parse.GetValue(nonKeywordsPerMinute),
                    SentencesPerMinute = parse.GetValue(sentencesPerMinute),
                    NoKeywords = parse.GetValue(noKeywords),
                    Keywords = SharedOptions.List(parse.GetValue(keywords)),
                    MinSnr = minSnr,
                    MaxSnr = maxSnr,
                    BackgroundNoise = !parse.GetValue(noNoise),
                    Voices = SharedOptions.List(parse.GetValue(voices)),
                    Variants = SharedOptions.List(parse.GetValue(variants)),
                    DatasetPath = parse.GetValue(from),
                    Split = parse.GetValue(split)!,
                    Threads = parse.GetValue(threads),
                };
                var result = await ProgressDisplay.RunAsync(progress => StreamSynthesizer.RunAsync(options, progress, cancellationToken));
                foreach (var warning in result.Warnings)
                    Console.Error.WriteLine($"warning: {warning}");
                Console.WriteLine($"wrote {result.AudioPath} ({result.Seconds / 60:0.##} min, {result.Keywords} keywords, {result.NonKeywords} other utterances) " +
                    $"and {result.LabelsPath}");
            }
            else
            {
                var options = new SynthesisOptions
                {
                    OutputDirectory = parse.GetValue(output)!,
                    ClipsPerWord = parse.GetValue(clipsPerWord),
                    Seed = parse.GetValue(seed),
                    Noise = parse.GetValue(noise),
                    Threads = parse.GetValue(threads),
                    NonKeywordWords = parse.GetValue(nonKeywordWords),
                    NonKeywordClipsPerWord = parse.GetValue(nonKeywordClips),
                    BackgroundNoiseSeconds = parse.GetValue(noiseSeconds),
                    Voices = SharedOptions.List(parse.GetValue(voices)),
                    Variants = SharedOptions.List(parse.GetValue(variants)),
                    HoldOutVoices = SharedOptions.List(parse.GetValue(holdOutVoices)),
                    HoldOutVariants = SharedOptions.List(parse.GetValue(holdOutVariants)),
                    HeldOutClipsPerWord = parse.GetValue(heldOutClips),
                    HeldOutOutputDirectory = parse.GetValue(heldOutOut),
                };
                var result = await ProgressDisplay.RunAsync(progress => DatasetSynthesizer.RunAsync(options, progress, cancellationToken));
                Console.WriteLine($"wrote {result.Clips} clips ({result.NonKeywordClips} of non-keywords) by {result.Speakers} voice configurations " +
                    $"and {result.NoiseFiles} background recordings to {options.OutputDirectory} (train {result.Train}, valid {result.Valid}, test {result.Test})");
                if (result.HeldOut > 0)
                    Console.WriteLine($"{result.HeldOut} clips by held-out voice configurations " +
                        (options.HeldOutOutputDirectory is { } separate ? $"in {separate} (all listed as test)" : "are in the test split"));
            }
            return ExitCodes.Success;
        }, "no file is left half-written; run the same command again for the complete output", cancellationToken));
        return command;
    }

    private static (double Min, double Max) ParseRange(string value, string name)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max))
            return (min, max);
        throw new OptionException(name, $"needs MIN,MAX in dB (for example 5,25), got '{value}'");
    }
}
