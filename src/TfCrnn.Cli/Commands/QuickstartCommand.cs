using System.CommandLine;
using TfCrnn.Cli.Rendering;
using TfCrnn.Quickstart;

namespace TfCrnn.Cli.Commands;

/// <summary><c>tfcrnn quickstart</c>: the README's main job (<see cref="QuickstartPipeline"/>).</summary>
internal static class QuickstartCommand
{
    public static Command Create()
    {
        var defaults = new QuickstartOptions { OutputDirectory = Path.Combine("out", "quickstart") };
        var output = SharedOptions.Output("Folder for the dataset, the two run folders and report.md", required: false);
        output.DefaultValueFactory = _ => defaults.OutputDirectory;
        var data = SharedOptions.Data(required: false, note: "instead of synthesising OUT/data");
        var clipsPerWord = new Option<int>("--clips-per-word") { Description = "Clips per word when synthesising", DefaultValueFactory = _ => defaults.ClipsPerWord };
        var width = SharedOptions.Width(defaults.Width);
        var maxEpochs = new Option<int>("--max-epochs") { Description = "Epoch cap of each model", DefaultValueFactory = _ => defaults.MaxEpochs };
        var timeLimit = SharedOptions.TimeLimit($"Minutes each model may train (default {defaults.TimeLimitMinutes})");
        timeLimit.DefaultValueFactory = _ => defaults.TimeLimitMinutes;
        var batchSize = SharedOptions.BatchSize(defaults.BatchSize);
        var threads = SharedOptions.Threads();
        var seed = new Option<int>("--seed") { Description = "Seed of the synthesis, initialisation, data order and augmentation", DefaultValueFactory = _ => defaults.Seed };
        var voices = SharedOptions.Voices();
        var augment = SharedOptions.Augment($"Training augmentation of both models (default {defaults.Augmentation})");
        var heldOut = new Option<string[]>("--heldout")
        {
            Description = "Another dataset to measure generalisation on, every clip, clean and noisy (e.g. other speech engines: " +
                "bench/heldout/make_other_engines.sh); repeatable",
            HelpName = "dir",
            AllowMultipleArgumentsPerToken = false,
        };
        var real = new Option<string[]>("--real")
        {
            Description = "A folder of real people's recordings in the Speech Commands layout (e.g. bench/real/dev) to score the trained " +
                "models (the speech-embedding head too, where the encoder is there) and the shipped models on, the 35 words and 12-label style; repeatable",
            HelpName = "dir",
            AllowMultipleArgumentsPerToken = false,
        };
        var encoder = SharedOptions.Encoder();
        var embeddingCache = SharedOptions.EmbeddingCache();
        embeddingCache.Description = "The folder of the speech-embedding head's embedding cache (default: OUT/embedding-cache)";
        var embeddingEpochs = new Option<int>("--embedding-epochs")
        {
            Description = "Epoch cap of the head over the speech embedding",
            DefaultValueFactory = _ => defaults.EmbeddingHead.MaxEpochs,
        };
        var embeddingBatchSize = new Option<int>("--embedding-batch-size")
        {
            Description = "Clips per batch of the head over the speech embedding",
            DefaultValueFactory = _ => defaults.EmbeddingHead.BatchSize,
        };
        var embeddingTimeLimit = new Option<double?>("--embedding-time-limit")
        {
            Description = "Minutes the head over the speech embedding may take, embedding included",
            HelpName = "minutes",
            DefaultValueFactory = _ => defaults.EmbeddingHead.TimeLimitMinutes,
        };
        var command = new Command("quickstart",
            "Synthesise the espeak-ng dataset if absent, train a reduced TF-CRNN (TF-Res-SE) and its CRNN, then, where the speech-embedding " +
            "encoder is installed or given, a head over it (OUT/embedding), evaluate them, write report.md. Runs that exist are reused or resumed.")
        {
            output, data, clipsPerWord, width, maxEpochs, timeLimit, batchSize, threads, seed, voices, augment, heldOut, real,
            encoder, embeddingCache, embeddingEpochs, embeddingBatchSize, embeddingTimeLimit,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = defaults with
            {
                OutputDirectory = parse.GetRequiredValue(output),
                DataPath = parse.GetValue(data),
                ClipsPerWord = parse.GetValue(clipsPerWord),
                Width = parse.GetValue(width),
                MaxEpochs = parse.GetValue(maxEpochs),
                TimeLimitMinutes = parse.GetValue(timeLimit),
                BatchSize = parse.GetValue(batchSize),
                Threads = parse.GetValue(threads),
                Seed = parse.GetValue(seed),
                Voices = SharedOptions.List(parse.GetValue(voices)),
                Augmentation = parse.Augmentation(augment, defaults.Augmentation),
                HeldOutData = parse.GetValue(heldOut) ?? [],
                RealData = parse.GetValue(real) ?? [],
                EncoderDirectory = parse.GetValue(encoder),
                EmbeddingCache = parse.GetValue(embeddingCache),
                EmbeddingHead = defaults.EmbeddingHead with
                {
                    MaxEpochs = parse.GetValue(embeddingEpochs),
                    BatchSize = parse.GetValue(embeddingBatchSize),
                    TimeLimitMinutes = parse.GetValue(embeddingTimeLimit),
                },
            };
            return await Interruption.HandleAsync(async () =>
            {
                var result = await TrainingProgressDisplay.RunAsync((training, tasks) =>
                    QuickstartPipeline.RunAsync(options, training, tasks, cancellationToken));
                foreach (var run in result.Runs)
                    Console.WriteLine($"{run.Variant}: test accuracy {run.Result.TestAccuracy:P2} (best epoch {run.Result.BestEpoch} of {run.Result.Epochs}" +
                        $"{(run.Result.TimeLimitReached ? ", stopped at the time limit" : "")})");
                Console.WriteLine($"report: {result.ReportPath} ({result.WallSeconds:0} s)");
                return ExitCodes.Success;
            }, "run the same command again to continue", cancellationToken);
        });
        return command;
    }
}
