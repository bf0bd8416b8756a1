using System.Text.Json;
using System.Text.Json.Serialization;
using TfCrnn.Progress;

namespace TfCrnn.Data;

/// <summary>Clip counts of one split, per label (word folder) in ordinal order (labels without clips left out).</summary>
public sealed record SplitStatistics(
    [property: JsonPropertyName("clips")] int Clips,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, int> Labels);

/// <summary>The background-noise recordings: how many, and their length in all.</summary>
public sealed record NoiseStatistics(
    [property: JsonPropertyName("recordings")] int Recordings,
    [property: JsonPropertyName("seconds")] double Seconds);

/// <summary>What <c>tfcrnn data stats</c> reports about a dataset.</summary>
/// <param name="Splits">Keyed "train", "valid", "test".</param>
/// <param name="ShortClips">Clips shorter than one second (zero-padded when read).</param>
/// <param name="LabelCount">Distinct labels that have at least one clip.</param>
/// <param name="BackgroundNoise">The <c>_background_noise_</c> recordings.</param>
public sealed record DatasetStatistics(
    [property: JsonPropertyName("splits")] IReadOnlyDictionary<string, SplitStatistics> Splits,
    [property: JsonPropertyName("short_clips")] int ShortClips,
    [property: JsonPropertyName("labels")] int LabelCount,
    [property: JsonPropertyName("background_noise")] NoiseStatistics BackgroundNoise)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The JSON key of a split: train, valid, test.</summary>
    public static string SplitKey(Split split) => split.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>tfcrnn data stats</c>: opens the dataset at <paramref name="path"/>, leaving out unusable clips (not 16 kHz,
    /// unreadable) with a warning each instead of stopping at the first, and counts its clips.
    /// </summary>
    public static Task<(DatasetStatistics Statistics, IReadOnlyList<string> Warnings)> ComputeAsync(string path, bool useCache = true,
        IProgress<TaskProgress>? progress = null, CancellationToken cancellationToken = default) => Task.Run(() =>
        {
            OptionChecks.Required("--data", path);
            var options = new DatasetOptions { UseCache = useCache, SkipBadClips = true };
            using var dataset = SpeechCommandsDataset.Open(path, options, progress, cancellationToken);
            return (Compute(dataset, progress), dataset.Warnings);
        }, cancellationToken);

    /// <summary>Counts the clips of every split and label of <paramref name="data"/> and looks for short clips and sample-rate problems.</summary>
    public static DatasetStatistics Compute(SpeechCommandsDataset data, IProgress<TaskProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var splits = new Dictionary<string, SplitStatistics>();
        foreach (var split in Enum.GetValues<Split>())
        {
            var clips = data.Clips(split);
            var labels = clips.GroupBy(c => c.Label).OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count());
            splits[SplitKey(split)] = new SplitStatistics(clips.Count, labels);
        }
        var shortClips = 0;
        for (var i = 0; i < data.AllClips.Count; i++)
        {
            if (data.SampleCount(data.AllClips[i]) < Preprocessing.ClipSamples)
                shortClips++;
            if (i % 1024 == 0 || i == data.AllClips.Count - 1)
                progress?.Report(new TaskProgress("measuring clips", i + 1, data.AllClips.Count));
        }
        var labelCount = data.AllClips.Select(c => c.Label).Distinct().Count();
        var noise = new NoiseStatistics(data.BackgroundNoise.Count,
            data.BackgroundNoise.Sum(r => r.Length) / (double)SpeechCommandsDataset.SampleRate);
        return new DatasetStatistics(splits, shortClips, labelCount, noise);
    }

    /// <summary>The statistics as JSON (what <c>tfcrnn data stats --json</c> prints).</summary>
    public string ToJson(bool indented = false) => JsonSerializer.Serialize(this, indented ? Indented : JsonSerializerOptions.Default);
}
