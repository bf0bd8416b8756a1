using System.Globalization;
using System.Text;
using ScottPlot;
using TfCrnn.Data;
using TfCrnn.Evaluation;
using TfCrnn.IO;
using TfCrnn.SpeechEmbedding;
using TfCrnn.Synthesis;
using TfCrnn.Training;

namespace TfCrnn.Quickstart;

/// <summary>The quickstart's <c>report.md</c> and its curves.</summary>
internal static class QuickstartReport
{
    /// <summary>
    /// Writes <c>report.md</c> into <paramref name="root"/> with the loss and accuracy curves beside it: dataset, recipe,
    /// test accuracies, confusion matrices, then <paramref name="sections"/> (the null ones left out) and the files.
    /// </summary>
    /// <param name="runs">The two raw-waveform models.</param>
    /// <param name="head">The head over the speech embedding, or null where the encoder is not there.</param>
    /// <param name="threadsPerRun">Torch threads each of <paramref name="runs"/> had.</param>
    public static void Write(string root, string dataPath, QuickstartOptions options, IReadOnlyList<QuickstartRun> runs, QuickstartRun? head,
        IReadOnlyList<string?> sections, int threadsPerRun, double seconds)
    {
        var trained = head is null ? runs : [.. runs, head];
        var histories = trained.ToDictionary(r => r.Variant, r => new RunFolder(r.RunDirectory).ReadMetrics());
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
        foreach (var run in trained)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {run.Variant} | {run.Result.TestAccuracy * 100:0.00} % | {run.Result.TestLoss:0.000} | " +
                $"{run.Result.BestEpoch} | {run.Result.Epochs}{(run.Result.TimeLimitReached ? " (time limit)" : "")} | {run.Result.WallSeconds:0} s |");
        md.AppendLine();
        var threads = threadsPerRun;
        md.AppendLine(CultureInfo.InvariantCulture, $"The models trained side by side, {threads} torch {(threads == 1 ? "thread" : "threads")} each. " +
            $"Chance level: {100.0 / Labels.Count:0.00} %. Test accuracy is that of the epoch with the lowest validation loss, " +
            $"on the command clips (a clip the model rejects counts as a miss).");
        md.AppendLine(HeadLine(options, head));
        foreach (var run in trained.Where(r => r.Rejection is not null))
            md.AppendLine(CultureInfo.InvariantCulture, $"{run.Variant} (task {options.Task.Name}) rejected {run.Rejection!.CorrectRejectionRate * 100:0.0} % of the " +
                $"{run.Rejection.OtherClips} other-word test clips and {run.Rejection.FalseRejectionRate * 100:0.0} % of the {run.Rejection.KeywordClips} command clips.");
        md.AppendLine();
        md.AppendLine("## Curves");
        md.AppendLine();
        md.AppendLine("![loss per epoch](loss.png)");
        md.AppendLine();
        md.AppendLine("![accuracy per epoch](accuracy.png)");
        md.AppendLine();
        md.AppendLine("## Confusion matrices (test split, rows normalised by the true word)");
        foreach (var run in trained)
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
        foreach (var run in trained)
            md.AppendLine(CultureInfo.InvariantCulture, $"- `{Link(run.RunDirectory)}/`: run folder (`tfcrnn eval --checkpoint {run.RunDirectory} --data {dataPath}`, " +
                $"`tfcrnn predict --checkpoint {run.RunDirectory} FILE.wav`); test-split outputs in `eval-test/`.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Quickstart wall time (this session): {seconds:0} s.");
        AtomicFile.WriteAllText(Path.Combine(root, QuickstartPipeline.ReportFile), md.ToString());
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

    /// <summary>
    /// What the quickstart did about the head over the speech embedding: how it trained, or, without the encoder, how to get it.
    /// </summary>
    private static string HeadLine(QuickstartOptions options, QuickstartRun? head) => head is null
        ? $"No head over the speech embedding: the encoder is not installed; `./{EncoderFiles.InstallCommand}` (or `--encoder DIR`) " +
          $"and the quickstart again add one in `{QuickstartPipeline.EmbeddingFolder}/`, which hears real people far better."
        : $"{head.Variant} (`{QuickstartPipeline.EmbeddingFolder}/`) is a head over the frozen speech embedding (README, \"The speech-embedding encoder\"), trained after " +
          $"them on every thread, on the same data and augmentation: {options.EmbeddingHead.Describe()}. " +
          "The generalisation, analyses and streaming sections are the raw-waveform models'.";

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
}
