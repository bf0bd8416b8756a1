using System.Globalization;
using System.Text;
using TfCrnn.Analysis;
using TfCrnn.Checkpoints;
using TfCrnn.Evaluation;
using TfCrnn.Progress;
using TfCrnn.Runtime;

namespace TfCrnn.Quickstart;

/// <summary>
/// The report's "Real people" section: each trained model (the head over the speech embedding too, where the encoder is
/// there) and the shipped models (<c>models/default</c>; <c>models/embedding</c> where it ships and the encoder is there) on every set of
/// <see cref="QuickstartOptions.RealData"/>, scored on the 35 words (<see cref="Evaluator"/>, every clip) and 12-label
/// style (<see cref="TwelveLabelBenchmark"/>). Scored again on every run of the quickstart: the sets are small.
/// </summary>
internal static class RealPeopleSection
{
    /// <summary>The shipped default model's row.</summary>
    public const string DefaultModelRow = "shipped default model";

    /// <summary>The folder under the quickstart's output that holds the default model's scores.</summary>
    public const string DefaultModelFolder = "default-model";

    /// <summary>The shipped speech-embedding model's row.</summary>
    public const string EmbeddingModelRow = "shipped embedding model";

    /// <summary>The folder under the quickstart's output that holds the shipped speech-embedding model's scores.</summary>
    public const string EmbeddingModelFolder = "embedding-model";

    /// <summary>The shipped speech-embedding model's folder where this build carries it and the encoder is there; else null.</summary>
    private static string? ShippedEmbeddingModel(QuickstartOptions options) =>
        File.Exists(Path.Combine(DefaultModel.EmbeddingDirectory, ModelFolder.ConfigFile)) && QuickstartPipeline.HasEncoder(options)
            ? DefaultModel.EmbeddingDirectory
            : null;

    private static readonly string[] Header =
        ["model", "clips", "35-word accuracy", "rejected as `_none_`", "12-label: ten words", "other clips", "12-label all"];

    /// <summary>
    /// Scores the models on each set, writing the files into <c>MODEL/real-NAME/</c> (the shipped models' under
    /// <c>ROOT/default-model/</c> and <c>ROOT/embedding-model/</c>); returns the section, or null without real sets.
    /// </summary>
    public static async Task<string?> RunAsync(string root, QuickstartOptions options, IReadOnlyList<QuickstartRun> runs,
        IProgress<TaskProgress>? tasks, CancellationToken cancellationToken)
    {
        if (options.RealData.Count == 0) return null;
        var models = runs.Select(r => (Name: r.Variant, Checkpoint: r.RunDirectory, Output: r.RunDirectory)).ToList();
        var shipped = DefaultModel.Locate();
        if (shipped is not null)
            models.Add((DefaultModelRow, shipped, Path.Combine(root, DefaultModelFolder)));
        var shippedEmbedding = ShippedEmbeddingModel(options);
        if (shippedEmbedding is not null)
            models.Add((EmbeddingModelRow, shippedEmbedding, Path.Combine(root, EmbeddingModelFolder)));

        var md = new StringBuilder();
        md.AppendLine("## Real people");
        foreach (var set in options.RealData.Select(Path.GetFullPath))
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(set));
            var rows = new List<IReadOnlyList<string>>();
            foreach (var (model, checkpoint, output) in models)
            {
                var evaluation = QuickstartPipeline.Evaluation(root, options, checkpoint, set, EvaluationSplit.All, Path.Combine(output, "real-" + name));
                var words = await Evaluator.RunAsync(evaluation, tasks, cancellationToken);
                var twelve = await TwelveLabelBenchmark.RunAsync(evaluation with { TwelveLabel = true }, tasks, cancellationToken);
                rows.Add(Row(model, words, twelve));
            }
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### {name} (`{set}`)");
            md.AppendLine();
            md.Append(TextTables.Markdown(Header, rows));
        }
        md.AppendLine();
        md.AppendLine("Real people's recordings, by speakers that none of these models trained on. A 35-word clip is right when the top " +
            "word is its word; 12-label style, a clip of the ten words (yes, no, up, down, left, right, on, off, stop, go) is right when " +
            "the top word is its word, and any other clip when the top word is none of the ten. The sets are small: a figure's 95 % " +
            "margin is about ±1.96·√(p(1−p)/n) (the ± of the ten-word column, in points), so only big differences count.");
        if (shippedEmbedding is not null)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"The {EmbeddingModelRow} is the exception: it trained on every real clip this project may use, ") +
                string.Create(CultureInfo.InvariantCulture, $"bench/real/dev's speakers included ({DefaultModel.EmbeddingRelativeDirectory}/MODEL.md), so its rows are not held-out figures; ") +
                "its held-out figure is the speaker cross-validation of bench/results/real-speech.md.");
        if (shipped is null)
            md.AppendLine(CultureInfo.InvariantCulture, $"The shipped default model has no row: this build carries none ({DefaultModel.Directory} is missing).");
        var shippedFiles = shippedEmbedding is null ? "" : $" and `{EmbeddingModelFolder}/real-NAME/`";
        md.AppendLine(CultureInfo.InvariantCulture, $"Reproduce a row with `./tfcrnn eval --checkpoint DIR --data SET --split all` and " +
            $"`./tfcrnn eval --checkpoint DIR --data SET --twelve-label` (DIR a run folder, `{DefaultModel.RelativeDirectory}` or `{DefaultModel.EmbeddingRelativeDirectory}`); " +
            $"the files are in each run's `real-NAME/` and in `{DefaultModelFolder}/real-NAME/`{shippedFiles}.");
        md.AppendLine();
        return md.ToString();
    }

    /// <summary>One model's row: its 35-word and 12-label scores on one set.</summary>
    private static string[] Row(string model, EvaluationReport words, TwelveLabelReport twelve)
    {
        var keywordClips = words.Rejection?.KeywordClips ?? words.Clips;
        var none = words.Confusion.Labels.ToList().IndexOf(LabelSet.None);
        return
        [
            model,
            TextTables.Integer(twelve.Clips),
            Share((int)Math.Round(words.Accuracy * keywordClips), keywordClips),
            none < 0 ? "–" : Share((int)words.Confusion.Predicted(none), words.Clips),
            Share(twelve.Keywords.Correct, twelve.Keywords.Clips, withMargin: true),
            Percent(twelve.NonKeywords.Clips, twelve.NonKeywordAccuracy),
            Percent(twelve.Clips, twelve.Accuracy),
        ];
    }

    /// <summary>"part/whole (p %)", with the 95 % margin in points if asked ("part/whole (p % ± m)"); "–" for no clips.</summary>
    private static string Share(int part, int whole, bool withMargin = false)
    {
        if (whole == 0) return "–";
        var p = part / (double)whole;
        var margin = withMargin ? " ± " + TextTables.Number(Margin(p, whole) * 100, 1) : "";
        return $"{TextTables.Integer(part)}/{TextTables.Integer(whole)} ({TextTables.Number(p * 100, 1)} %{margin})";
    }

    /// <summary>"12.3 %", or "–" for no clips.</summary>
    private static string Percent(int clips, double accuracy) => clips == 0 ? "–" : TextTables.Number(accuracy * 100, 1) + " %";

    /// <summary>The 95 % margin of a fraction <paramref name="p"/> of <paramref name="n"/> clips (normal approximation).</summary>
    internal static double Margin(double p, int n) => n == 0 ? double.NaN : 1.96 * Math.Sqrt(p * (1 - p) / n);
}
