using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TfCrnn.Data;
using TfCrnn.IO;
using TfCrnn.Native;
using TfCrnn.Progress;
using TfCrnn.Runtime;
using static TorchSharp.torch;

namespace TfCrnn.Evaluation;

/// <summary>How a folder of word folders is scored (<c>train --select-style</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FolderScoring>))]
public enum FolderScoring
{
    /// <summary>
    /// As the 12-label test set: a clip of the ten words is right when its word is on top, any other clip when none of the
    /// ten is (<see cref="TwelveLabelBenchmark"/>).
    /// </summary>
    [JsonStringEnumMemberName("twelve-label")] TwelveLabel,

    /// <summary>
    /// As the model's words: a clip is right when its folder's class is on top (other words and <c>_silence_</c> under a
    /// rejection class); clips of folders the model has no class for are not scored.
    /// </summary>
    [JsonStringEnumMemberName("words")] Words,
}

/// <summary>One clip of the benchmark: its folder, the model's top word, and whether that counts as right.</summary>
public sealed record TwelveLabelPrediction(string File, string Folder, string TopWord, float Probability, bool Correct);

/// <summary>Clips and right answers of one folder of the benchmark.</summary>
public sealed record FolderScore(int Clips, int Correct)
{
    /// <summary>Correct / Clips; 0 for no clips.</summary>
    public double Accuracy => Clips == 0 ? 0 : Correct / (double)Clips;
}

/// <summary>
/// The 12-label scores: <see cref="Accuracy"/> over all clips (as the published 12-label figures count them), and apart
/// the clips of the ten words (<see cref="KeywordAccuracy"/>) and all the others (<see cref="NonKeywordAccuracy"/>).
/// </summary>
public sealed record TwelveLabelReport(FolderScore Keywords, FolderScore NonKeywords, IReadOnlyDictionary<string, FolderScore> Folders,
    IReadOnlyList<TwelveLabelPrediction> Predictions)
{
    /// <summary>All clips scored.</summary>
    public int Clips => Keywords.Clips + NonKeywords.Clips;

    /// <summary>Right clips over all clips, as published 12-label figures count them.</summary>
    public double Accuracy => Clips == 0 ? 0 : (Keywords.Correct + NonKeywords.Correct) / (double)Clips;

    /// <summary>Clips of the ten words whose top word is that word.</summary>
    public double KeywordAccuracy => Keywords.Accuracy;

    /// <summary>Other clips whose top word is none of the ten.</summary>
    public double NonKeywordAccuracy => NonKeywords.Accuracy;
}

/// <summary>
/// The Speech Commands 12-label benchmark for a model of any label set that has the ten words (e.g. the 35 words and
/// <c>_none_</c>): a folder in the official test set's layout (<c>yes/ … go/</c>, <c>_unknown_/</c>, <c>_silence_/</c>).
/// A clip of one of the ten words is right when the model's top word is that word; any other clip (<c>_unknown_</c>,
/// <c>_silence_</c>, or any other folder, e.g. the other words of a 35-word set) is right when the top word is not one
/// of the ten. Files of any rate and length are fitted as <c>predict</c> fits them (<see cref="Predictor.Load"/>).
/// </summary>
public static class TwelveLabelBenchmark
{
    /// <summary>The report's file in the output folder.</summary>
    public const string Json = "twelve_label.json";
    /// <summary>Each clip's top word, in the output folder.</summary>
    public const string PredictionsCsv = "twelve_label_predictions.csv";

    /// <summary>The ten words of the 12-label task.</summary>
    public static readonly IReadOnlyList<string> Keywords = [.. LabelTasks.Standard12.Classes.Labels.Where(LabelSet.IsKeywordLabel)];

    /// <summary>Where <c>tfcrnn eval --twelve-label</c> writes without <c>--out</c> (as <see cref="EvaluationOptions.DefaultOutputDirectory"/>).</summary>
    public static string DefaultOutputDirectory(string checkpoint) =>
        Path.Combine(Checkpoints.CheckpointLocator.IsRunFolder(checkpoint) ? checkpoint : ".", "eval-twelve-label");

    /// <summary>
    /// Scores the model of <see cref="EvaluationOptions.Checkpoint"/> on the folder <see cref="EvaluationOptions.DataPath"/>
    /// (its split is not used: every clip counts; <see cref="EvaluationOptions.TwelveLabel"/> must be set) and writes <see cref="Json"/> and <see cref="PredictionsCsv"/>.
    /// </summary>
    public static Task<TwelveLabelReport> RunAsync(EvaluationOptions options, IProgress<TaskProgress>? progress = null,
        CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            options.Validate();
            if (!options.TwelveLabel)
                throw new OptionException("--twelve-label", "must be set to score a folder as the 12-label benchmark");
            var files = Files(options.DataPath);
            TorchThreads.Apply(options.Threads);
            using var model = ClipClassifier.Open(options.Checkpoint, options.Engine, options.Threads, options.Inference, options.FrontEnd);
            var report = Score(model, files, options.BatchSize, progress, cancellationToken);
            if (options.OutputDirectory is not null)
            {
                AtomicFile.WriteAllText(Path.Combine(options.OutputDirectory, Json), ToJson(report));
                AtomicFile.WriteAllText(Path.Combine(options.OutputDirectory, PredictionsCsv), Predictions(report));
            }
            return report;
        }, CancellationToken.None);

    /// <summary>
    /// The clips of <paramref name="folder"/> as (path, folder name), in ordinal order: the .wav files of each subfolder
    /// but <c>_background_noise_</c> and hidden ones.
    /// </summary>
    internal static IReadOnlyList<(string Path, string Folder)> Files(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DatasetException($"{folder}: no such folder (expected the 12-label test set's layout: yes/ ... go/, _unknown_/, _silence_/)");
        var files = Directory.EnumerateDirectories(folder)
            .Select(d => Path.GetFileName(d)!)
            .Where(name => name != SpeechCommandsDataset.BackgroundNoiseFolder && !name.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .SelectMany(name => Directory.EnumerateFiles(Path.Combine(folder, name), "*.wav").Order(StringComparer.Ordinal).Select(f => (f, name)))
            .ToList();
        if (files.Count == 0)
            throw new DatasetException($"{folder}: no clips found (expected <folder>/*.wav: yes/ ... go/, _unknown_/, _silence_/)");
        return files;
    }

    /// <summary>
    /// Why <paramref name="labels"/> cannot be scored in <paramref name="scoring"/> style, or null: 12-label scoring
    /// needs the ten words among them.
    /// </summary>
    internal static string? Problem(LabelSet labels, FolderScoring scoring) =>
        scoring == FolderScoring.TwelveLabel && Keywords.FirstOrDefault(k => labels.IndexOf(k) is null) is { } missing
            ? $"the model's labels ({labels}) lack '{missing}', one of the ten words of the 12-label task"
            : null;

    /// <summary>
    /// Scores <paramref name="files"/> (path, folder) with the model's last-step top word, in 12-label style or, with
    /// <paramref name="scoring"/> <see cref="FolderScoring.Words"/>, against the folders' classes (keywords apart from the rest).
    /// </summary>
    internal static TwelveLabelReport Score(ClipClassifier model, IReadOnlyList<(string Path, string Folder)> files, int batchSize = 64,
        IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default, FolderScoring scoring = FolderScoring.TwelveLabel)
    {
        var labels = model.Labels;
        if (Problem(labels, scoring) is { } problem) throw new DatasetException(problem);
        int? ClassOfFolder(string folder) => labels.ClassOf(folder)
            ?? (folder is LabelSet.Silence or LabelSet.Unknown ? labels.IndexOf(LabelSet.None) : null);
        bool IsKeyword(string folder) => scoring == FolderScoring.TwelveLabel
            ? Keywords.Contains(folder)
            : ClassOfFolder(folder) is { } target && labels.IsKeyword(target);
        if (scoring == FolderScoring.Words)
        {
            files = [.. files.Where(f => ClassOfFolder(f.Folder) is not null)];
            if (files.Count == 0)
                throw new DatasetException($"no clip of the folder is in a folder named after one of the model's classes ({labels})");
        }
        var predictions = new List<TwelveLabelPrediction>(files.Count);
        foreach (var chunk in files.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var waveforms = chunk.SelectMany(f => Predictor.Load(f.Path).Waveform).ToArray();
            var last = model.Logits(tensor(waveforms, [chunk.Length, 1, Preprocessing.ClipSamples], device: model.Device))[-1].softmax(-1);
            var (probability, index) = last.max(-1);
            var best = index.cpu().data<long>().ToArray();
            var top = probability.cpu().data<float>().ToArray();
            for (var i = 0; i < chunk.Length; i++)
            {
                var word = labels[(int)best[i]];
                var folder = chunk[i].Folder;
                var correct = scoring == FolderScoring.Words ? ClassOfFolder(folder) == (int)best[i]
                    : Keywords.Contains(folder) ? word == folder : !Keywords.Contains(word);
                predictions.Add(new TwelveLabelPrediction(chunk[i].Path, folder, word, top[i], correct));
            }
            progress?.Report(new TaskProgress("evaluating", predictions.Count, files.Count));
        }
        static FolderScore ScoreOf(IEnumerable<TwelveLabelPrediction> group) =>
            group.Aggregate(new FolderScore(0, 0), (s, p) => new FolderScore(s.Clips + 1, s.Correct + (p.Correct ? 1 : 0)));
        return new TwelveLabelReport(
            ScoreOf(predictions.Where(p => IsKeyword(p.Folder))),
            ScoreOf(predictions.Where(p => !IsKeyword(p.Folder))),
            predictions.GroupBy(p => p.Folder).ToDictionary(g => g.Key, ScoreOf),
            predictions);
    }

    /// <summary>
    /// <c>{"accuracy", "keyword_accuracy", "non_keyword_accuracy", "clips", "keyword_clips", "keyword_correct",
    /// "non_keyword_clips", "non_keyword_correct", "folders": {"NAME": {"clips", "correct", "accuracy"}}}</c>.
    /// </summary>
    public static string ToJson(TwelveLabelReport report)
    {
        var folders = new JsonObject();
        foreach (var (name, score) in report.Folders.OrderBy(f => f.Key, StringComparer.Ordinal))
            folders[name] = new JsonObject { ["clips"] = score.Clips, ["correct"] = score.Correct, ["accuracy"] = score.Accuracy };
        return new JsonObject
        {
            ["accuracy"] = report.Accuracy,
            ["keyword_accuracy"] = report.KeywordAccuracy,
            ["non_keyword_accuracy"] = report.NonKeywordAccuracy,
            ["clips"] = report.Clips,
            ["keyword_clips"] = report.Keywords.Clips,
            ["keyword_correct"] = report.Keywords.Correct,
            ["non_keyword_clips"] = report.NonKeywords.Clips,
            ["non_keyword_correct"] = report.NonKeywords.Correct,
            ["folders"] = folders,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary><c>file,folder,top_word,probability,correct</c>, one row per clip.</summary>
    private static string Predictions(TwelveLabelReport report)
    {
        var csv = new StringBuilder(CsvText.Line(["file", "folder", "top_word", "probability", "correct"]));
        foreach (var p in report.Predictions)
            csv.Append(CsvText.Line([p.File, p.Folder, p.TopWord, p.Probability.ToString("0.####", CultureInfo.InvariantCulture), p.Correct ? "1" : "0"]));
        return csv.ToString();
    }
}
