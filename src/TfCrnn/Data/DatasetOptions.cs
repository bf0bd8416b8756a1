namespace TfCrnn.Data;

/// <summary>How <see cref="SpeechCommandsDataset.Open(string, DatasetOptions?, IProgress{Progress.TaskProgress}?)"/> reads a dataset.</summary>
public sealed record DatasetOptions
{
    /// <summary>
    /// Decode every clip once into an int16 cache and memory-map it afterwards. Without it a folder is read
    /// WAV by WAV; an archive is still decoded once, into a temporary cache deleted with the dataset.
    /// </summary>
    public bool UseCache { get; init; } = true;

    /// <summary>
    /// The cache folder of this dataset. Default: <c>&lt;dataset&gt;/.tfcrnn-cache/</c> (for an archive,
    /// <c>.tfcrnn-cache/&lt;archive name&gt;/</c> beside it), or <c>~/.cache/tfcrnn/datasets/&lt;hash&gt;</c>
    /// where that place is read-only.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Leave out clips that cannot be used (unreadable, not 16 kHz), each with a warning in
    /// <see cref="SpeechCommandsDataset.Warnings"/>, instead of failing; every clip is then read when opening.
    /// </summary>
    public bool SkipBadClips { get; init; }
}
