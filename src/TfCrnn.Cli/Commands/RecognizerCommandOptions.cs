using System.CommandLine;
using TfCrnn.Runtime;

namespace TfCrnn.Cli.Commands;

/// <summary>The detection options of <c>stream</c> and <c>stream-eval</c> (<see cref="RecognizerOptions"/>).</summary>
internal sealed class RecognizerCommandOptions
{
    private static readonly RecognizerOptions Defaults = new();

    /// <summary>The flag that sets each option the runtime's errors name (<see cref="OptionException.Option"/>).</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal)
    {
        [nameof(StatePolicy)] = "--state",
        [RecognizerOptions.Property(nameof(RecognizerOptions.SmoothingSteps))] = "--smoothing",
        [RecognizerOptions.Property(nameof(RecognizerOptions.Threshold))] = "--threshold",
        [RecognizerOptions.Property(nameof(RecognizerOptions.RefractorySeconds))] = "--refractory",
        [RecognizerOptions.Property(nameof(RecognizerOptions.Keywords))] = "--keywords",
    };

    /// <summary>The flag of a <see cref="RecognizerOptions"/> property or of <see cref="StatePolicy"/>; null for another option.</summary>
    public static string? FlagOf(string option) => Flags.GetValueOrDefault(option);

    private static string Flag(string property) => Flags[RecognizerOptions.Property(property)];

    public Option<string> State { get; } = new(Flags[nameof(StatePolicy)])
    {
        Description = "Recurrent state over the stream: sliding (each step = offline predict of the last second), " +
            "staggered:LANES:STEPS, reset:STEPS or carry",
        DefaultValueFactory = _ => Defaults.State.ToString(),
    };

    public Option<int> Smoothing { get; } = new(Flag(nameof(RecognizerOptions.SmoothingSteps))) { Description = "Steps of posterior smoothing (moving average)", DefaultValueFactory = _ => Defaults.SmoothingSteps };

    public Option<float> Threshold { get; } = new(Flag(nameof(RecognizerOptions.Threshold))) { Description = "Smoothed keyword probability that fires a detection", DefaultValueFactory = _ => Defaults.Threshold };

    public Option<double?> Refractory { get; } = new(Flag(nameof(RecognizerOptions.RefractorySeconds)))
    {
        Description = $"Seconds after a detection during which no other fires (default: the model's: {RecognizerOptions.DefaultRefractorySeconds} s, " +
            $"{Runtime.SpeechEmbedding.SpeechEmbeddingGeometry.RefractorySeconds} s for a head over the speech embedding)",
    };

    public Option<string?> Keywords { get; } = new(Flag(nameof(RecognizerOptions.Keywords)))
    {
        Description = "Listen for these keywords only, comma-separated (default every keyword of the model); the others never fire " +
            "and take probability away from these, as the rejection class does",
    };

    public IEnumerable<Option> All => [State, Smoothing, Threshold, Refractory, Keywords];

    /// <summary>The options as given; the library validates them where the verb starts (a bad policy text throws here).</summary>
    public RecognizerOptions Read(ParseResult parse) => new()
    {
        State = StatePolicy.Parse(parse.GetRequiredValue(State)),
        SmoothingSteps = parse.GetValue(Smoothing),
        Threshold = parse.GetValue(Threshold),
        RefractorySeconds = parse.GetValue(Refractory),
        Keywords = SharedOptions.List(parse.GetValue(Keywords)),
    };
}
