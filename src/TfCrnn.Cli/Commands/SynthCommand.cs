using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Synthesis;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn synth</c>: writes the synthetic default dataset.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Dataset folder to write (<word>/<speaker>_nohash_<n>.wav and the split lists).", Required = true };
        var clipsPerWord = new Option<int>("--clips-per-word") { Description = "Clips per word.", DefaultValueFactory = _ => SynthesisOptions.DefaultClipsPerWord };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed writes the same dataset.", DefaultValueFactory = _ => 0 };
        var noise = new Option<double>("--noise") { Description = "Standard deviation of the added background noise (full scale 1); 0 for none.", DefaultValueFactory = _ => 0.005 };
        var threads = new Option<int>("--threads") { Description = "espeak-ng processes run at once.", DefaultValueFactory = _ => 2 };
        var command = new Command("synth", "Synthesise a Speech Commands-style dataset of the 35 words with espeak-ng voices.")
        {
            output, clipsPerWord, seed, noise, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SynthesisOptions
            {
                OutputDirectory = parse.GetValue(output)!,
                ClipsPerWord = parse.GetValue(clipsPerWord),
                Seed = parse.GetValue(seed),
                Noise = parse.GetValue(noise),
                Threads = parse.GetValue(threads),
            };
            var result = await ProgressDisplay.RunAsync(progress => DatasetSynthesizer.RunAsync(options, progress, cancellationToken));
            Console.WriteLine($"wrote {result.Clips} clips by {result.Speakers} speakers to {options.OutputDirectory} " +
                $"(train {result.Train}, valid {result.Valid}, test {result.Test})");
            return 0;
        });
        return command;
    }
}
