using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TfCrnn.Data;
using TfCrnn.Data.Augmentation;
using TfCrnn.IO;
using TfCrnn.Native;
using TfCrnn.Progress;

namespace TfCrnn.Evaluation;

/// <summary>What <c>tfcrnn eval --snr</c> does, callable from C#: <see cref="Generalization.RunAsync"/>.</summary>
public sealed record GeneralizationOptions
{
    /// <summary>
    /// The model, the data (typically voices or engines the model never heard), the split, the engine and where the clean
    /// condition's <see cref="EvaluationFiles"/> and <c>generalization.json</c>/<c>.md</c> go.
    /// </summary>
    public required EvaluationOptions Evaluation { get; init; }

    /// <summary>Signal-to-noise ratios in dB at which noise is mixed in; the clean clips are always scored too.</summary>
    public IReadOnlyList<double> SnrDb { get; init; } = Generalization.DefaultSnrDb;

    /// <summary>Fixes each clip's noise (kind, stretch): the same seed gives the same noisy clips, and every SNR the same noise.</summary>
    public int Seed { get; init; }

    /// <summary>Names for the report; default: the checkpoint's and the data's folder names.</summary>
    public string? ModelName { get; init; }

    /// <summary>How the report names the dataset; its folder name when null.</summary>
    public string? DataName { get; init; }

    /// <summary>Reads <c>--snr</c>: comma-separated numbers of dB (checked by <see cref="Validate"/>).</summary>
    /// <exception cref="OptionException">An item is not a number.</exception>
    public static IReadOnlyList<double> ParseSnr(string list) => [.. list.Split(',').Select(item =>
        double.TryParse(item.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new OptionException("--snr", $"'{item.Trim()}' is not a number of dB; expected e.g. --snr 20,10,5,0"))];

    /// <summary>Throws <see cref="OptionException"/> naming the first bad value.</summary>
    public GeneralizationOptions Validate()
    {
        Evaluation.Validate();
        if (Evaluation.TwelveLabel)
            throw new OptionException("--snr", "cannot be combined with --twelve-label");
        var noise = AugmentationRecipe.Transforms.Single(t => t.Name == "noise");
        if (SnrDb is null || SnrDb.Count == 0)
            throw new OptionException("--snr", "needs at least one signal-to-noise ratio in dB");
        foreach (var snr in SnrDb)
            if (!(snr >= noise.Lowest && snr <= noise.Highest))
                throw new OptionException("--snr", $"{snr.ToString(CultureInfo.InvariantCulture)} dB is outside {noise.Lowest}..{noise.Highest} dB");
        return this;
    }
}

/// <summary>A model's scores in one condition: clean (<see cref="SnrDb"/> null) or with noise at an SNR.</summary>
public sealed record NoiseCondition(double? SnrDb, EvaluationReport Report)
{
    /// <summary>"clean" or "N dB".</summary>
    public string Name => SnrDb is { } snr ? $"{snr.ToString(CultureInfo.InvariantCulture)} dB" : "clean";
}

/// <summary>How well a model carries over to other speech: clean and noisy accuracy and per-class recall.</summary>
/// <param name="NoiseKinds">The noises each noisy clip drew one of.</param>
public sealed record GeneralizationReport(string Model, string Data, int Seed, IReadOnlyList<NoiseKind> NoiseKinds,
    IReadOnlyList<NoiseCondition> Conditions)
{
    /// <summary>Clips scored in each condition.</summary>
    public int Clips => Conditions[0].Report.Clips;
}

/// <summary>
/// Generalisation measure: a model scored on a set of clips (held-out voices, other engines, real speech) clean and
/// with noise mixed in at chosen SNRs (speech-active level against the noise's RMS, as the noise augmentation
/// defines it). Each clip's noise is drawn, from its seed, among the dataset's <c>_background_noise_</c> recordings
/// (when the set has them), white, pink and brown noise and babble of the set's other clips; the noise is the same
/// at every SNR, only its level changes.
/// </summary>
public static class Generalization
{
    /// <summary>The report written beside the evaluation files, as JSON.</summary>
    public const string JsonFile = "generalization.json";
    /// <summary>The report written beside the evaluation files, as Markdown.</summary>
    public const string MarkdownFile = "generalization.md";

    /// <summary>The noisy conditions of <c>eval --snr</c> when none are given: 20, 10, 5 and 0 dB.</summary>
    public static readonly IReadOnlyList<double> DefaultSnrDb = [20, 10, 5, 0];

    /// <summary>The <c>eval --snr</c> verb: loads the checkpoint and the dataset, scores every condition, writes the files.</summary>
    public static Task<GeneralizationReport> RunAsync(GeneralizationOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            options.Validate();
            var evaluation = options.Evaluation;
            TorchThreads.Apply(evaluation.Threads);
            using var model = ClipClassifier.Open(evaluation.Checkpoint, evaluation.Engine, evaluation.Threads, evaluation.Inference, evaluation.FrontEnd);
            using var data = SpeechCommandsDataset.Open(evaluation.DataPath, progress: progress);
            var report = Evaluate(model, data, data.Clips(evaluation.Split), options.SnrDb, options.Seed, evaluation.BatchSize, progress,
                cancellationToken) with
            {
                Model = options.ModelName ?? FolderName(evaluation.Checkpoint),
                Data = options.DataName ?? FolderName(evaluation.DataPath),
            };
            if (evaluation.OutputDirectory is { } directory)
            {
                EvaluationFiles.Write(report.Conditions[0].Report, directory);
                AtomicFile.WriteAllText(Path.Combine(directory, JsonFile), ToJson(report));
                AtomicFile.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown([report]));
            }
            return report;
        }, CancellationToken.None);

    /// <summary>
    /// Scores the clips of the model's task among <paramref name="clips"/> clean, then with noise at each of
    /// <paramref name="snrDb"/>, drawn among the dataset's <see cref="SpeechCommandsDataset.BackgroundNoise"/>, the
    /// generated noises and babble.
    /// </summary>
    public static GeneralizationReport Evaluate(Models.SpeechCommandModel model, SpeechCommandsDataset data, IReadOnlyList<Clip> clips,
        IReadOnlyList<double> snrDb, int seed = 0, int batchSize = 64, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var classifier = ClipClassifier.Of(model);
        return Evaluate(classifier, data, clips, snrDb, seed, batchSize, progress, cancellationToken);
    }

    /// <inheritdoc cref="Evaluate(Models.SpeechCommandModel, SpeechCommandsDataset, IReadOnlyList{Clip}, IReadOnlyList{double}, int, int, IProgress{TaskProgress}?, CancellationToken)"/>
    internal static GeneralizationReport Evaluate(ClipClassifier model, SpeechCommandsDataset data, IReadOnlyList<Clip> clips,
        IReadOnlyList<double> snrDb, int seed = 0, int batchSize = 64, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var conditions = new List<NoiseCondition> { new(null, Evaluator.Evaluate(model, data, clips, batchSize, progress, cancellationToken)) };
        foreach (var snr in snrDb)
        {
            var noisy = new BatchLoaderOptions(batchSize, Shuffle: false, DropLast: false, Augment: true, seed,
                Augmentation: AugmentationRecipe.None with { Noise = new AugmentRange(snr, snr) })
            {
                Labels = model.Labels,
            };
            var loader = new BatchLoader(data, clips, noisy, model.Device);
            conditions.Add(new NoiseCondition(snr, Evaluator.Evaluate(model, loader, progress, cancellationToken)));
        }
        var kinds = new NoiseSources(data.BackgroundNoise, _ => [], clips.Count).Kinds;
        return new GeneralizationReport(model.Variant, data.Source, seed, kinds, conditions);
    }

    /// <summary>
    /// <c>{"model", "data", "clips", "seed", "noise_kinds", "conditions": [{"snr_db" (null: clean), "accuracy", "loss",
    /// "per_class_recall": {word: recall}}]}</c>; per_class_recall lists the words present in the set.
    /// </summary>
    public static string ToJson(GeneralizationReport report)
    {
        var conditions = new JsonArray();
        foreach (var condition in report.Conditions)
        {
            var recall = new JsonObject();
            foreach (var metrics in condition.Report.PerClass.Where(m => m.Support > 0))
                recall[metrics.Label] = metrics.Recall;
            conditions.Add(new JsonObject
            {
                ["snr_db"] = condition.SnrDb,
                ["accuracy"] = condition.Report.Accuracy,
                ["loss"] = condition.Report.Loss,
                ["per_class_recall"] = recall,
            });
        }
        return new JsonObject
        {
            ["model"] = report.Model,
            ["data"] = report.Data,
            ["clips"] = report.Clips,
            ["seed"] = report.Seed,
            ["noise_kinds"] = new JsonArray([.. report.NoiseKinds.Select(k => (JsonNode)k.ToString().ToLowerInvariant())]),
            ["conditions"] = conditions,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// A markdown section (for <c>report.md</c>): one accuracy table with a row per report (model × data) and a
    /// column per condition, then each report's per-class recall in a collapsed table. Conditions are matched by
    /// name; a report without one shows "–".
    /// </summary>
    public static string Markdown(IReadOnlyList<GeneralizationReport> reports, string heading = "## Generalisation")
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0) throw new ArgumentException("no reports", nameof(reports));
        var names = reports.SelectMany(r => r.Conditions).Select(c => (c.SnrDb, c.Name)).Distinct()
            .OrderBy(c => c.SnrDb is null ? 0 : 1).ThenByDescending(c => c.SnrDb).Select(c => c.Name).ToList();
        var kinds = reports.SelectMany(r => r.NoiseKinds).Distinct().Select(k => k.ToString().ToLowerInvariant());
        var md = new StringBuilder();
        md.AppendLine(heading).AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Accuracy (%) on speech the models were not trained on, clean and with noise mixed in at a " +
            $"signal-to-noise ratio (speech-active level against the noise's RMS); each clip's noise is one of {string.Join(", ", kinds)} " +
            $"(seed {reports[0].Seed}), the same at every SNR.").AppendLine();
        md.AppendLine($"| model | data | clips | {string.Join(" | ", names)} |");
        md.AppendLine($"| --- | --- | ---: |{string.Concat(names.Select(_ => " ---: |"))}");
        foreach (var report in reports)
            md.AppendLine($"| {report.Model} | {report.Data} | {report.Clips} | " +
                string.Join(" | ", names.Select(n => report.Conditions.FirstOrDefault(c => c.Name == n) is { } c ? Percent(c.Report.Accuracy) : "–")) + " |");
        foreach (var report in reports)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"<details><summary>Per-class recall (%): {report.Model} on {report.Data}</summary>").AppendLine();
            md.AppendLine($"| word | clips | {string.Join(" | ", report.Conditions.Select(c => c.Name))} |");
            md.AppendLine($"| --- | ---: |{string.Concat(report.Conditions.Select(_ => " ---: |"))}");
            foreach (var (metrics, index) in report.Conditions[0].Report.PerClass.Select((m, i) => (m, i)).Where(p => p.m.Support > 0))
                md.AppendLine($"| {metrics.Label} | {metrics.Support} | " +
                    string.Join(" | ", report.Conditions.Select(c => Percent(c.Report.PerClass[index].Recall))) + " |");
            md.AppendLine().AppendLine("</details>");
        }
        return md.ToString();
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture);

    private static string FolderName(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        return Path.GetFileName(File.Exists(full) ? Path.GetDirectoryName(full)! : full);
    }
}
