using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Synthesis;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn synth</c>: writes the synthetic default dataset.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var defaults = new SynthesisOptions { OutputDirectory = "" };
        var output = SharedOptions.Output("Dataset folder to write (<word>/<speaker>_nohash_<n>.wav and the split lists)");
        var clipsPerWord = new Option<int>("--clips-per-word") { Description = "Clips per word", DefaultValueFactory = _ => defaults.ClipsPerWord };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes the same dataset", DefaultValueFactory = _ => defaults.Seed };
        var noise = new Option<double>("--noise") { Description = "Standard deviation of the added background noise (full scale 1); 0 for none", DefaultValueFactory = _ => defaults.Noise };
        // Not SharedOptions.Threads: these are espeak-ng processes, not torch threads.
        var processes = new Option<int>("--threads") { Description = "espeak-ng processes run at once", DefaultValueFactory = _ => defaults.Threads };
        var command = new Command("synth", "Synthesise a Speech Commands-style dataset of the 35 words with espeak-ng voices.")
        {
            output, clipsPerWord, seed, noise, processes,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SynthesisOptions
            {
                OutputDirectory = parse.GetRequiredValue(output),
                ClipsPerWord = parse.GetValue(clipsPerWord),
                Seed = parse.GetValue(seed),
                Noise = parse.GetValue(noise),
                Threads = parse.GetValue(processes),
            };
            var result = await ProgressDisplay.RunAsync(progress => DatasetSynthesizer.RunAsync(options, progress, cancellationToken));
            Console.WriteLine($"wrote {result.Clips} clips by {result.Speakers} speakers to {options.OutputDirectory} " +
                $"(train {result.Train}, valid {result.Valid}, test {result.Test})");
            return ExitCodes.Success;
        });
        return command;
    }
}
