using System.Diagnostics;
using System.Globalization;
using System.Text;
using TfCrnn.Analysis;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Streaming;
using TfCrnn.Synthesis;
using TfCrnn.Training;

namespace TfCrnn.Quickstart;

/// <summary>
/// The README's main job: synthesise the default dataset if needed, train the two models with
/// the same seed and reduced settings, evaluate both on the test split, write <c>report.md</c> with
/// accuracies, curves and confusion matrices, generalisation to held-out voices, scores on real people
/// (<see cref="QuickstartOptions.RealData"/>, beside the shipped models'), the paper's analyses and streaming. Where the
/// speech-embedding encoder is there, a head over it is trained too, after the two models, and scored beside them. A
/// finished run folder is reused and an interrupted one resumed, so running it again continues where it stopped.
/// </summary>
public static class QuickstartPipeline
{
    /// <summary>The report's file name in the output folder.</summary>
    public const string ReportFile = "report.md";

    /// <summary>Runs the quickstart (continuing a previous run in the same folder) and writes its report.</summary>
    /// <param name="training">Reports of the trainings, each labelled with its run.</param>
    /// <param name="tasks">Reports of the other steps (synthesis, evaluation, analyses).</param>
    public static async Task<QuickstartResult> RunAsync(QuickstartOptions options, IProgress<TrainingProgress>? training = null,
        IProgress<TaskProgress>? tasks = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.OutputDirectory);
        Directory.CreateDirectory(root);
        var dataPath = options.DataPath is null ? Path.Combine(root, "data") : Path.GetFullPath(options.DataPath);
        if (options.DataPath is null && !File.Exists(Path.Combine(dataPath, "testing_list.txt")))
            await DatasetSynthesizer.RunAsync(Synthesis(options, root, dataPath), tasks, cancellationToken);

        // Opened once before the trainings, which would otherwise both build its cache the first time.
        using (SpeechCommandsDataset.Open(dataPath, progress: tasks)) { }
        tasks?.Report(new TaskProgress($"training {string.Join(" and ", options.Variants)}", 0, options.Variants.Count));
        var results = await Task.WhenAll(options.Variants.Select(variant =>
            TrainAsync(options, dataPath, Path.Combine(root, variant), variant, training, cancellationToken)));
        var runs = new List<QuickstartRun>();
        foreach (var (variant, result) in options.Variants.Zip(results))
            runs.Add(await TestAsync(root, dataPath, options, variant, Path.Combine(root, variant), result, tasks, cancellationToken));
        var head = await TrainEmbeddingHeadAsync(root, dataPath, options, training, tasks, cancellationToken);
        IReadOnlyList<QuickstartRun> trained = head is null ? runs : [.. runs, head];

        // The head is in the tables of scores; the generalisation, the paper's analyses and streaming are the raw-waveform models'.
        var generalization = await GeneralizeAsync(root, options, runs, tasks, cancellationToken);
        var real = await RealPeopleSection.RunAsync(root, options, trained, tasks, cancellationToken);
        var analyses = await AnalyzeAsync(root, dataPath, options, runs, tasks, cancellationToken);
        var streaming = await StreamAsync(root, dataPath, options, runs, tasks, cancellationToken);
        var reportPath = Path.Combine(root, ReportFile);
        QuickstartReport.Write(root, dataPath, options, runs, head, [generalization, real, analyses, streaming], TrainingThreads(options), clock.Elapsed.TotalSeconds);
        return new QuickstartResult(trained, reportPath, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The folder under the quickstart's output that holds the head over the speech embedding.</summary>
    public const string EmbeddingFolder = "embedding";

    /// <summary>
    /// Whether the quickstart trains its head over the speech embedding: the encoder is given (<c>--encoder</c>) or
    /// installed (<c>tfcrnn encoder install</c>, which quickstart.sh runs unless <c>TFCRNN_NO_ENCODER=1</c>).
    /// </summary>
    internal static bool HasEncoder(QuickstartOptions options) => options.EncoderDirectory is not null || EncoderFiles.Installed;

    /// <summary>
    /// Trains the head over the speech embedding into <c>OUT/embedding/</c> after the two models, on every thread and
    /// under <see cref="EmbeddingHeadRecipe.TimeLimitMinutes"/> (its embeddings cached under <c>OUT/embedding-cache/</c>
    /// unless <see cref="QuickstartOptions.EmbeddingCache"/> is given), and tests it; resumes an interrupted run, reuses a
    /// finished one. Null without the encoder.
    /// </summary>
    private static async Task<QuickstartRun?> TrainEmbeddingHeadAsync(string root, string dataPath, QuickstartOptions options,
        IProgress<TrainingProgress>? training, IProgress<TaskProgress>? tasks, CancellationToken cancellationToken)
    {
        if (!HasEncoder(options)) return null;
        var recipe = options.EmbeddingHead;
        var directory = Path.Combine(root, EmbeddingFolder);
        tasks?.Report(new TaskProgress($"training {recipe.Model} over the speech embedding", 0, 1));
        var result = await ReuseOrTrainAsync(Training(options, dataPath, directory, recipe.Model, OptimizerKind.Adam, recipe.LearningRate,
            recipe.BatchSize, recipe.MaxEpochs, recipe.TimeLimitMinutes, options.Threads) with
        {
            Schedule = ScheduleKind.Cosine,
            AugmentCopies = recipe.AugmentCopies,
            EncoderDirectory = options.EncoderDirectory,
            EmbeddingCache = EmbeddingCacheRoot(root, options),
        }, training, tasks, cancellationToken);
        return await TestAsync(root, dataPath, options, recipe.Model, directory, result, tasks, cancellationToken);
    }

    /// <summary>Scores a trained model on the test split into its <c>eval-test/</c>.</summary>
    private static async Task<QuickstartRun> TestAsync(string root, string dataPath, QuickstartOptions options, string variant, string directory,
        RunResult result, IProgress<TaskProgress>? tasks, CancellationToken cancellationToken)
    {
        var test = await Evaluator.RunAsync(Evaluation(root, options, directory, dataPath, EvaluationSplit.Test, Path.Combine(directory, "eval-test")),
            tasks, cancellationToken);
        return new QuickstartRun(variant, directory, result, test.Rejection);
    }

    /// <summary>The embedding cache's root: <see cref="QuickstartOptions.EmbeddingCache"/>, or <c>OUT/embedding-cache</c>.</summary>
    internal static string EmbeddingCacheRoot(string root, QuickstartOptions options) =>
        options.EmbeddingCache is { } cache ? Path.GetFullPath(cache) : Path.Combine(root, "embedding-cache");

    /// <summary>
    /// How the quickstart scores <paramref name="checkpoint"/> on <paramref name="dataPath"/>: its batch size and threads,
    /// and for a head over the speech embedding its encoder and the quickstart's embedding cache.
    /// </summary>
    internal static EvaluationOptions Evaluation(string root, QuickstartOptions options, string checkpoint, string dataPath,
        EvaluationSplit split, string outputDirectory) =>
        new()
        {
            Checkpoint = checkpoint,
            DataPath = dataPath,
            Split = split,
            OutputDirectory = outputDirectory,
            BatchSize = options.BatchSize,
            Threads = options.Threads,
            EncoderDirectory = options.EncoderDirectory,
            EmbeddingCache = EmbeddingCacheRoot(root, options),
        };

    /// <summary>
    /// Trains one of the models into <paramref name="directory"/>: resumes an interrupted run, reuses a finished one. The
    /// models train side by side, the machine's threads shared out: at the quickstart's width a step is bound by
    /// per-operator overhead, so two runs of one thread each take about 1.25 times as long as one run
    /// (bench/results/augmentation.md, "Two trainings side by side"), not twice.
    /// </summary>
    private static Task<RunResult> TrainAsync(QuickstartOptions options, string dataPath, string directory, string variant,
        IProgress<TrainingProgress>? training, CancellationToken cancellationToken) =>
        ReuseOrTrainAsync(Training(options, dataPath, directory, variant, options.Optimizer, options.LearningRate, options.BatchSize,
            options.MaxEpochs, options.TimeLimitMinutes, TrainingThreads(options)) with
        {
            Width = options.Width,
            Patience = options.Patience,
            HeadDropout = options.HeadDropout,
            ResidualDropout = options.ResidualDropout,
        }, training, null, cancellationToken);

    /// <summary>
    /// A quickstart training: the data, seed, task and augmentation every one shares, and the optimizer, batch, epoch cap,
    /// time limit and threads of its recipe.
    /// </summary>
    private static TrainingOptions Training(QuickstartOptions options, string dataPath, string directory, string variant, OptimizerKind optimizer,
        double learningRate, int batchSize, int maxEpochs, double? timeLimitMinutes, int threads) =>
        new()
        {
            DataPath = dataPath,
            Variant = variant,
            OutputDirectory = directory,
            Io = OutputMode.ManyToMany,
            Seed = options.Seed,
            Task = options.Task,
            Rejection = options.Rejection,
            Augmentation = options.Augmentation,
            Optimizer = optimizer,
            LearningRate = learningRate,
            BatchSize = batchSize,
            MaxEpochs = maxEpochs,
            TimeLimitMinutes = timeLimitMinutes,
            Threads = threads,
        };

    /// <summary>Reuses the finished run in the options' folder, resumes an interrupted one, or starts it; progress labelled with its model.</summary>
    private static Task<RunResult> ReuseOrTrainAsync(TrainingOptions run, IProgress<TrainingProgress>? training, IProgress<TaskProgress>? data,
        CancellationToken cancellationToken)
    {
        var folder = new RunFolder(run.OutputDirectory);
        if (File.Exists(folder.ResultPath))
            return Task.FromResult(folder.ReadResult());
        return Trainer.RunAsync(run with { Resume = folder.HasCheckpoint(RunFolder.Last) },
            training is null ? null : new NamedProgress(training, run.Variant), data, cancellationToken);
    }

    /// <summary>Each training's share of the machine's threads.</summary>
    private static int TrainingThreads(QuickstartOptions options) => Math.Max(1, TorchThreads.Count(options.Threads) / options.Variants.Count);

    /// <summary>Labels a run's progress with its name, for a display that shows runs side by side.</summary>
    private sealed class NamedProgress(IProgress<TrainingProgress> inner, string run) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => inner.Report(value with { Run = run });
    }

    /// <summary>The synthesis of the quickstart's dataset into <paramref name="dataPath"/>, its held-out voices into <see cref="HeldOutPath"/>.</summary>
    internal static SynthesisOptions Synthesis(QuickstartOptions options, string root, string dataPath) =>
        new()
        {
            OutputDirectory = dataPath,
            ClipsPerWord = options.ClipsPerWord,
            Seed = options.Seed,
            Threads = Math.Max(1, options.Threads > 0 ? options.Threads : Environment.ProcessorCount),
            Voices = options.Voices,
            HoldOutVoices = options.HoldOutVoices.Count > 0 ? options.HoldOutVoices : null,
            HoldOutVariants = options.HoldOutVariants.Count > 0 ? options.HoldOutVariants : null,
            HeldOutClipsPerWord = options.HeldOutClipsPerWord,
            HeldOutOutputDirectory = options.HoldOutVoices.Count + options.HoldOutVariants.Count > 0 ? HeldOutPath(root) : null,
        };

    /// <summary>"the voices A, B and the variants C" for the held-out lists that are not empty.</summary>
    private static string HeldOutNames(QuickstartOptions options) => string.Join(" and ",
        new[] { ("voices", options.HoldOutVoices), ("variants", options.HoldOutVariants) }
            .Where(p => p.Item2.Count > 0).Select(p => $"the {p.Item1} {string.Join(", ", p.Item2)}"));

    /// <summary>Where the synthesis writes the held-out voices' clips.</summary>
    public static string HeldOutPath(string root) => Path.Combine(root, "data-heldout");

    /// <summary>
    /// Each model scored on speech it was not trained on, clean and with noise at <see cref="QuickstartOptions.SnrDb"/>:
    /// the held-out espeak-ng voices (when the quickstart synthesised them) and <see cref="QuickstartOptions.HeldOutData"/>.
    /// Files in each run's <c>generalization-NAME/</c>; returns the report section, or null without any such set.
    /// </summary>
    private static async Task<string?> GeneralizeAsync(string root, QuickstartOptions options, IReadOnlyList<QuickstartRun> runs,
        IProgress<TaskProgress>? tasks, CancellationToken cancellationToken)
    {
        var heldOut = HeldOutPath(root);
        var sets = new List<(string Path, string Name)>();
        if (options.DataPath is null && File.Exists(Path.Combine(heldOut, "testing_list.txt")))
            sets.Add((heldOut, "held-out espeak-ng voices"));
        sets.AddRange(options.HeldOutData.Select(p => (Path.GetFullPath(p), Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))))));
        if (sets.Count == 0) return null;
        var reports = new List<GeneralizationReport>();
        foreach (var run in runs)
            foreach (var (path, name) in sets)
                reports.Add(await Generalization.RunAsync(new GeneralizationOptions
                {
                    Evaluation = Evaluation(root, options, run.RunDirectory, path, EvaluationSplit.All,
                        Path.Combine(run.RunDirectory, "generalization-" + name.Replace(' ', '-'))),
                    SnrDb = options.SnrDb,
                    Seed = options.Seed,
                    ModelName = run.Variant,
                    DataName = name,
                }, tasks, cancellationToken));
        var md = new StringBuilder(Generalization.Markdown(reports));
        md.AppendLine();
        if (sets[0].Path == heldOut)
            md.AppendLine(CultureInfo.InvariantCulture, $"The held-out espeak-ng voices are the configurations of {HeldOutNames(options)}, " +
                $"which the synthesis kept out of training and validation " +
                $"(`{Path.GetRelativePath(root, heldOut).Replace('\\', '/')}/`; a non-keyword clip is right when the model rejects it). ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Both models trained with `--augment {options.Augmentation}`; bench/results/augmentation.md compares recipes at this budget. " +
            $"Other speech engines make a harder test: `bench/heldout/make_other_engines.sh DIR` writes flite and festival clips, and " +
            $"`--heldout DIR` adds them here.");
        md.AppendLine();
        return md.ToString();
    }

    /// <summary>
    /// The paper's three analyses (failure analysis, prediction trajectories, temporal excitation) of the first TF-CRNN against the first other model, written to
    /// <c>analysis/</c>; returns the report section, or null without such a pair.
    /// </summary>
    private static async Task<string?> AnalyzeAsync(string root, string dataPath, QuickstartOptions options, IReadOnlyList<QuickstartRun> runs,
        IProgress<TaskProgress>? tasks, CancellationToken cancellationToken)
    {
        var candidate = runs.FirstOrDefault(r => ModelRegistry.Get(r.Variant) is PaperModel { Family: ModelFamily.TfCrnn });
        var baseline = runs.FirstOrDefault(r => r != candidate);
        if (candidate is null || baseline is null) return null;
        var analyses = await PaperAnalyses.RunAsync(new PaperAnalysesOptions
        {
            Baseline = baseline.RunDirectory,
            Candidate = candidate.RunDirectory,
            DataPath = dataPath,
            OutputDirectory = Path.Combine(root, "analysis"),
            ReportDirectory = root,
            BatchSize = options.BatchSize,
            Threads = options.Threads,
        }, tasks, cancellationToken);
        return analyses.Markdown;
    }

    /// <summary>
    /// Streaming recognition by each model on a stream made from the test split (unheard voices), with the default
    /// detection options: scores and figures in each run's <c>stream-eval/</c>; returns the report section, or null
    /// when <see cref="QuickstartOptions.StreamMinutes"/> is 0.
    /// </summary>
    private static async Task<string?> StreamAsync(string root, string dataPath, QuickstartOptions options, IReadOnlyList<QuickstartRun> runs,
        IProgress<TaskProgress>? tasks, CancellationToken cancellationToken)
    {
        if (options.StreamMinutes <= 0) return null;
        var streamDirectory = Path.Combine(root, "stream");
        var audio = Path.Combine(streamDirectory, StreamSynthesizer.AudioFile);
        var labels = Path.Combine(streamDirectory, StreamSynthesizer.LabelsFile);
        if (!File.Exists(labels))
            await StreamSynthesizer.RunAsync(new StreamSynthesisOptions
            {
                OutputDirectory = streamDirectory,
                DatasetPath = dataPath,
                Split = "test",
                Minutes = options.StreamMinutes,
                Seed = options.Seed + 1,
            }, tasks, cancellationToken);

        string Link(string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
        var md = new StringBuilder();
        md.AppendLine("## Streaming");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`tfcrnn stream-eval` on `{Link(audio)}`: {options.StreamMinutes:0.#} minutes made from the test split " +
            $"(voices that training never heard) by `tfcrnn synth --stream --from DATA --split test`: keywords among other words, gaps and " +
            $"background noise; a detection is a hit when it names the word between its start and 1 s after its end.");
        md.AppendLine();
        md.AppendLine("| model | precision | recall | F1 | false alarms per hour | latency median / p90 | real-time factor (1 thread): wall clock, processor time |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var figures = new List<(string Variant, string Directory)>();
        foreach (var run in runs)
        {
            var directory = Path.Combine(run.RunDirectory, "stream-eval");
            var report = await StreamEvaluator.RunAsync(new StreamEvaluationOptions
            {
                Checkpoint = run.RunDirectory,
                AudioPath = audio,
                LabelsPath = labels,
                OutputDirectory = directory,
            }, tasks, cancellationToken);
            var s = report.Score;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Variant} | {s.Precision:0.000} | {s.Recall:0.000} | {s.F1:0.000} | {s.FalseAlarmsPerHour:0.#} | " +
                $"{s.LatencyPercentileMs(50):0} / {s.LatencyPercentileMs(90):0} ms | {report.RealTimeFactor:0.000}, {report.CpuRealTimeFactor:0.000} |");
            figures.Add((run.Variant, directory));
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Detection: {new RecognizerOptions().State} state, smoothing {new RecognizerOptions().SmoothingSteps} steps, " +
            $"threshold {new RecognizerOptions().Threshold}, refractory {RecognizerOptions.DefaultRefractorySeconds} s (the defaults of `tfcrnn stream`). " +
            $"Posteriors over time (blue: the labelled word's probability, grey: the best keyword's; green: hits, red: false alarms) " +
            $"and the threshold sweep:");
        foreach (var (variant, directory) in figures)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### {variant}");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"![{variant} posteriors]({Link(Path.Combine(directory, StreamEvaluationFiles.PosteriorsPng))})");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"![{variant} detection-error trade-off]({Link(Path.Combine(directory, StreamEvaluationFiles.DetPng))})");
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Listen with a microphone: `arecord -q -f S16_LE -r 16000 -c 1 | tfcrnn stream --checkpoint {runs[0].RunDirectory} -`.");
        md.AppendLine();
        return md.ToString();
    }
}
