using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScottPlot;
using TfCrnn.Analysis;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.Evaluation;
using TfCrnn.IO;
using TfCrnn.Models;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime;
using TfCrnn.Streaming;
using TfCrnn.Synthesis;
using TfCrnn.Training;

namespace TfCrnn.Quickstart;

/// <summary>
/// The quickstart's settings: a reduced version of the paper's recipe that trains a TF-CRNN and its
/// CRNN on the synthetic espeak-ng dataset in minutes on two CPU cores.
/// </summary>
public sealed record QuickstartOptions
{
    /// <summary>Where the dataset (unless <see cref="DataPath"/>), the two run folders and report.md go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>A Speech Commands dataset to use instead; default <c>OutputDirectory/data</c>, synthesised when absent.</summary>
    public string? DataPath { get; init; }

    /// <summary>Clips per word when synthesising.</summary>
    public int ClipsPerWord { get; init; } = SynthesisOptions.DefaultClipsPerWord;

    public int Seed { get; init; }

    // Reduced from the paper (width 128, batch 64, SGD at lr 0.025, 200 epochs) so that two models train side by side in
    // at most 10 minutes on two cores (TimeLimitMinutes). Width 24 cost 1.7 times as much an epoch and did no better
    // than twice the epochs at width 16 (bench/results/augmentation.md, "Longer training at the quickstart's budget").
    // With SGD they spent their first 5 epochs answering `_none_` to everything; Adam at lr 0.003 leaves that plateau
    // sooner and ends higher ("Adam at the quickstart's budget"), and so does less dropout than the paper's ("Less dropout
    // at the quickstart's budget", and with the MBROLA voices "MBROLA voices at the quickstart's budget, with Adam"): 32
    // epochs are still too few to overfit.
    public int Width { get; init; } = 16;

    public int BatchSize { get; init; } = 16;

    /// <summary>One of <see cref="Optimizers.Names"/>.</summary>
    public string Optimizer { get; init; } = Optimizers.Adam;

    public double LearningRate { get; init; } = 0.003;

    public int MaxEpochs { get; init; } = 32;

    /// <summary>
    /// Minutes each model may train; null: no limit. On the README's machine (18 s an epoch) the schedule or the epoch cap
    /// ends the runs first; on a slower one the limit keeps the whole quickstart under 15 minutes.
    /// </summary>
    public double? TimeLimitMinutes { get; init; } = 10;

    /// <summary>Dropout before the GRU cell (paper: 0.5).</summary>
    public double HeadDropout { get; init; } = 0.1;

    /// <summary>Dropout inside the Res-SE residual branches (paper: 0.2).</summary>
    public double ResidualDropout { get; init; } = 0;

    public int Patience { get; init; } = 2;

    /// <summary>Torch threads; 0: one per physical core (<see cref="Native.TorchThreads.Apply"/>).</summary>
    public int Threads { get; init; }

    /// <summary>The two variants compared, both many-to-many.</summary>
    public IReadOnlyList<string> Variants { get; init; } = ["tfcrnn-resse", "crnn-resse"];

    /// <summary>The labels both models learn: the 35 commands and a rejection class, so that <c>tfcrnn stream</c> can use them.</summary>
    public string Task { get; init; } = LabelSet.CommandsAndNone.Name!;

    /// <summary>How the rejection class is drawn (bench/results/streaming.md measured these against TensorFlow's defaults).</summary>
    public RejectionMix Rejection { get; init; } = new();

    /// <summary>
    /// Training augmentation of both models (<c>--augment</c>): besides the paper's shift, neighbouring speech and wider
    /// placement as a window over a stream holds its words, noise at 5-40 dB SNR and gain, so that no noise floor or
    /// loudness becomes a cue (bench/results/augmentation.md, "The white-noise floor: a shortcut"), and vocal-tract
    /// length perturbation for other speakers (same file, "Vocal-tract length perturbation at 32 epochs").
    /// </summary>
    public AugmentationRecipe Augmentation { get; init; } =
        AugmentationRecipe.Parse("paper,+neighbours,wideshift=-150:150@0.5,noise=5:40@0.5,+gain,+vtlp@0.3");

    /// <summary>
    /// The voices the synthesis speaks with; null (default): espeak-ng's own and the MBROLA voices where
    /// scripts/install-deps.sh could install them (SVOX Pico's and RHVoice's only when named). The MBROLA voices, diphones cut from recorded speakers, cost
    /// the held-out espeak-ng voices some accuracy and gain more on other speech engines (bench/results/augmentation.md,
    /// "MBROLA voices at the quickstart's budget, with Adam").
    /// </summary>
    public IReadOnlyList<string>? Voices { get; init; }

    /// <summary>
    /// espeak-ng voices whose configurations the synthesis writes only to <c>OUTPUT/data-heldout</c>, never to train or
    /// validation: the generalisation section's first set (not used with <see cref="DataPath"/>).
    /// </summary>
    public IReadOnlyList<string> HoldOutVoices { get; init; } = ["en-gb-scotland", "ja"];

    /// <summary>espeak-ng variants held out in the same way as <see cref="HoldOutVoices"/>.</summary>
    public IReadOnlyList<string> HoldOutVariants { get; init; } = ["klatt3", "whisperf"];

    /// <summary>
    /// More datasets (Speech Commands layout, every clip scored) to measure generalisation on: other speech engines
    /// (bench/heldout/make_other_engines.sh), real recordings (<c>--heldout</c>).
    /// </summary>
    public IReadOnlyList<string> HeldOutData { get; init; } = [];

    /// <summary>Signal-to-noise ratios of the generalisation section's noisy conditions, in dB.</summary>
    public IReadOnlyList<double> SnrDb { get; init; } = Generalization.DefaultSnrDb;

    /// <summary>The held-out voices' clips per command: a sixth of the training speakers' (10 at the default 60).</summary>
    internal int HeldOutClipsPerWord => Math.Max(1, ClipsPerWord / 6);

    /// <summary>Minutes of the test stream the streaming section is measured on (made from the test split); 0 for no streaming section.</summary>
    public double StreamMinutes { get; init; } = 3;

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public QuickstartOptions Validate()
    {
        OptionChecks.Required("--out", OutputDirectory);
        if (ClipsPerWord < DatasetSynthesizer.ClipsPerWordForEverySplit)
            throw new OptionException("--clips-per-word", $"must be at least {DatasetSynthesizer.ClipsPerWordForEverySplit} " +
                $"for the quickstart, so that every word has a test clip, got {ClipsPerWord}");
        OptionChecks.Width("--width", Width);
        OptionChecks.AtLeast("--batch-size", BatchSize, 1);
        OptionChecks.Positive("--lr", LearningRate);
        OptionChecks.OneOf("--optimizer", Optimizer, Optimizers.Names);
        OptionChecks.AtLeast("--max-epochs", MaxEpochs, 1);
        if (TimeLimitMinutes is { } minutes) OptionChecks.Positive("--time-limit", minutes);
        OptionChecks.DropoutRate("--head-dropout", HeadDropout);
        OptionChecks.DropoutRate("--residual-dropout", ResidualDropout);
        OptionChecks.NotNegative("--patience", Patience);
        OptionChecks.NotNegative("--threads", Threads);
        foreach (var variant in Variants)
            OptionChecks.Variant("variants", variant);
        OptionChecks.OneOf(nameof(Task), Task, LabelSet.TaskNames);
        Rejection.Validate();
        (Augmentation ?? throw new OptionException("--augment", "must not be null")).Validate();
        QuickstartPipeline.Synthesis(this, OutputDirectory, Path.Combine(OutputDirectory, "data")).Validate();
        foreach (var path in HeldOutData)
            if (!Directory.Exists(path) && !File.Exists(path))
                throw new OptionException("--heldout", $"{path} does not exist");
        OptionChecks.NotNegative(nameof(StreamMinutes), StreamMinutes);
        return this;
    }
}

/// <summary>One trained model of the quickstart.</summary>
/// <param name="Rejection">How it rejected the test split's clips (a model with a rejection class), else null.</param>
public sealed record QuickstartRun(string Variant, string RunDirectory, RunResult Result, RejectionFigures? Rejection);

/// <summary>What the quickstart did.</summary>
public sealed record QuickstartResult(IReadOnlyList<QuickstartRun> Runs, string ReportPath, double WallSeconds);

/// <summary>
/// The README's main job: synthesise the default dataset if needed, train the two models with
/// the same seed and reduced settings, evaluate both on the test split, write <c>report.md</c> with
/// accuracies, curves and confusion matrices. A finished run folder is reused and an interrupted
/// one resumed, so running it again continues where it stopped.
/// </summary>
public static class QuickstartPipeline
{
    public const string ReportFile = "report.md";

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
        {
            var directory = Path.Combine(root, variant);
            var test = await Evaluator.RunAsync(new EvaluationOptions
            {
                Checkpoint = directory,
                DataPath = dataPath,
                Split = EvaluationSplit.Test,
                OutputDirectory = Path.Combine(directory, "eval-test"),
                BatchSize = options.BatchSize,
                Threads = options.Threads,
            }, tasks, cancellationToken);
            runs.Add(new QuickstartRun(variant, directory, result, test.Rejection));
        }

        var generalization = await GeneralizeAsync(root, options, runs, tasks, cancellationToken);
        var analyses = await AnalyzeAsync(root, dataPath, options, runs, tasks, cancellationToken);
        var streaming = await StreamAsync(root, dataPath, options, runs, tasks, cancellationToken);
        var reportPath = Path.Combine(root, ReportFile);
        WriteReport(root, dataPath, options, runs, [generalization, analyses, streaming], clock.Elapsed.TotalSeconds);
        return new QuickstartResult(runs, reportPath, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Trains one of the models into <paramref name="directory"/>: resumes an interrupted run, reuses a finished one. The
    /// models train side by side, the machine's threads shared out: at the quickstart's width a step is bound by
    /// per-operator overhead, so two runs of one thread each take about 1.25 times as long as one run
    /// (bench/results/augmentation.md, "Two trainings side by side"), not twice.
    /// </summary>
    private static Task<RunResult> TrainAsync(QuickstartOptions options, string dataPath, string directory, string variant,
        IProgress<TrainingProgress>? training, CancellationToken cancellationToken)
    {
        var folder = new RunFolder(directory);
        if (File.Exists(folder.ResultPath))
            return Task.FromResult(folder.ReadResult());
        return Trainer.RunAsync(new TrainingOptions
        {
            DataPath = dataPath,
            Variant = variant,
            OutputDirectory = directory,
            Io = OutputMode.ManyToMany,
            Seed = options.Seed,
            Width = options.Width,
            LearningRate = options.LearningRate,
            Optimizer = options.Optimizer,
            BatchSize = options.BatchSize,
            MaxEpochs = options.MaxEpochs,
            TimeLimitMinutes = options.TimeLimitMinutes,
            Patience = options.Patience,
            HeadDropout = options.HeadDropout,
            ResidualDropout = options.ResidualDropout,
            Threads = TrainingThreads(options),
            Resume = folder.HasCheckpoint(RunFolder.Last),
            Task = options.Task,
            Rejection = options.Rejection,
            Augmentation = options.Augmentation,
        }, training is null ? null : new NamedProgress(training, variant), cancellationToken);
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

    /// <summary>" and N minutes each" where the models train under a time limit; "" otherwise.</summary>
    private static string TimeLimit(QuickstartOptions options) =>
        options.TimeLimitMinutes is { } minutes ? string.Create(CultureInfo.InvariantCulture, $" and {minutes:g3} minutes each") : "";

    /// <summary>" Speakers: ..." of a synthesised dataset: how many, and the MBROLA voices' share of the clips (and the other engines', where they spoke); "" for another dataset.</summary>
    private static string Speakers(string dataPath)
    {
        if (DatasetSynthesizer.ReadSpeakers(dataPath) is not { } speakers)
            return "";
        double Share(Func<string, bool> voices) =>
            100.0 * speakers.Where(s => voices(s.Configuration.Voice)).Sum(s => s.Clips) / Math.Max(1, speakers.Sum(s => s.Clips));
        var engines = Share(v => VoiceCatalog.EngineOf(v) is not null);
        var others = engines > 0 ? string.Create(CultureInfo.InvariantCulture, $", {engines:0} % by SVOX Pico's and RHVoice's") : "";
        return string.Create(CultureInfo.InvariantCulture, $" Speakers: {speakers.Count} voice configurations " +
            $"(`{DatasetSynthesizer.VoicesFile}`); {Share(v => VoiceCatalog.MbrolaOf(v) is not null):0} % of the clips by MBROLA voices{others}.");
    }

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
                    Evaluation = new EvaluationOptions
                    {
                        Checkpoint = run.RunDirectory,
                        DataPath = path,
                        Split = EvaluationSplit.All,
                        OutputDirectory = Path.Combine(run.RunDirectory, "generalization-" + name.Replace(' ', '-')),
                        BatchSize = options.BatchSize,
                        Threads = options.Threads,
                    },
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
        var candidate = runs.FirstOrDefault(r => ModelConfig.For(r.Variant).Family == ModelFamily.TfCrnn);
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
            $"threshold {new RecognizerOptions().Threshold}, refractory {new RecognizerOptions().RefractorySeconds} s (the defaults of `tfcrnn stream`). " +
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

    private static void WriteReport(string root, string dataPath, QuickstartOptions options, IReadOnlyList<QuickstartRun> runs,
        IReadOnlyList<string?> sections, double seconds)
    {
        var histories = runs.ToDictionary(r => r.Variant, r => new RunFolder(r.RunDirectory).ReadMetrics());
        SaveCurves(Path.Combine(root, "loss.png"), "Loss per epoch (last-step validation)", "loss", histories,
            [("train", m => m.TrainLoss), ("valid", m => m.ValidLoss)]);
        SaveCurves(Path.Combine(root, "accuracy.png"), "Accuracy per epoch (last step)", "accuracy", histories,
            [("train", m => m.TrainAccuracy), ("valid", m => m.ValidAccuracy)]);

        string Link(string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
        using var data = SpeechCommandsDataset.Open(dataPath);
        var md = new StringBuilder();
        md.AppendLine("# tfcrnn quickstart");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Dataset: `{dataPath}`: {data.Clips(Split.Train).Count} training, " +
            $"{data.Clips(Split.Valid).Count} validation and {data.Clips(Split.Test).Count} test clips of {data.AllClips.Select(c => c.Label).Distinct().Count()} words.{Speakers(dataPath)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"Recipe (the paper's, reduced; docs/reference-implementation.md, \"Training\"): many-to-many loss, {Optimizers.Describe(options.Optimizer)}, lr {options.LearningRate} (paper: SGD Nesterov 0.9, lr 0.025), " +
            $"batch {options.BatchSize} (paper: 64), plateau schedule (patience {options.Patience}, factor 0.2, 3 stages), at most {options.MaxEpochs} epochs " +
            $"(paper: 200){TimeLimit(options)}, width {options.Width} (paper: 128), dropout {options.HeadDropout} before the GRU and {options.ResidualDropout} in residual branches " +
            $"(paper: 0.5 and 0.2), seed {options.Seed}; augmentation `{options.Augmentation}` (paper: a random shift of ±5 ms, `--augment paper`).");
        md.AppendLine();
        md.AppendLine("| model | test accuracy | test loss | best epoch | epochs | training time |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in runs)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Variant} | {run.Result.TestAccuracy * 100:0.00} % | {run.Result.TestLoss:0.000} | " +
                $"{run.Result.BestEpoch} | {run.Result.Epochs}{(run.Result.TimeLimitReached ? " (time limit)" : "")} | {run.Result.WallSeconds:0} s |");
        md.AppendLine();
        var threads = TrainingThreads(options);
        md.AppendLine(CultureInfo.InvariantCulture, $"The models trained side by side, {threads} torch {(threads == 1 ? "thread" : "threads")} each. " +
            $"Chance level: {100.0 / Labels.Count:0.00} %. Test accuracy is that of the epoch with the lowest validation loss, " +
            $"on the command clips (a clip the model rejects counts as a miss).");
        foreach (var run in runs.Where(r => r.Rejection is not null))
            md.AppendLine(CultureInfo.InvariantCulture, $"{run.Variant} (task {options.Task}) rejected {run.Rejection!.CorrectRejectionRate * 100:0.0} % of the " +
                $"{run.Rejection.OtherClips} other-word test clips and {run.Rejection.FalseRejectionRate * 100:0.0} % of the {run.Rejection.KeywordClips} command clips.");
        md.AppendLine();
        md.AppendLine("## Curves");
        md.AppendLine();
        md.AppendLine("![loss per epoch](loss.png)");
        md.AppendLine();
        md.AppendLine("![accuracy per epoch](accuracy.png)");
        md.AppendLine();
        md.AppendLine("## Confusion matrices (test split, rows normalised by the true word)");
        foreach (var run in runs)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### {run.Variant}");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"![{run.Variant} confusion]({Link(Path.Combine(run.RunDirectory, "eval-test", EvaluationFiles.ConfusionPng))})");
        }
        md.AppendLine();
        foreach (var section in sections.OfType<string>())
            md.AppendLine(section);
        md.AppendLine("## Files");
        md.AppendLine();
        foreach (var run in runs)
            md.AppendLine(CultureInfo.InvariantCulture, $"- `{Link(run.RunDirectory)}/`: run folder (`tfcrnn eval --checkpoint {run.RunDirectory} --data {dataPath}`, " +
                $"`tfcrnn predict --checkpoint {run.RunDirectory} FILE.wav`); test-split outputs in `eval-test/`.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Quickstart wall time (this session): {seconds:0} s.");
        AtomicFile.WriteAllText(Path.Combine(root, ReportFile), md.ToString());
    }

    private static void SaveCurves(string path, string title, string yLabel, IReadOnlyDictionary<string, IReadOnlyList<EpochMetrics>> histories,
        IReadOnlyList<(string Name, Func<EpochMetrics, double> Value)> series)
    {
        var plot = new Plot();
        foreach (var (variant, history) in histories)
            foreach (var (name, value) in series)
            {
                var line = plot.Add.Scatter(history.Select(m => (double)m.Epoch).ToArray(), history.Select(value).ToArray());
                line.LegendText = $"{variant} {name}";
                if (name == "train") line.LinePattern = LinePattern.Dashed;
            }
        plot.Title(title);
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = yLabel;
        plot.ShowLegend();
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(800, 500, ImageFormat.Png));
    }
}
