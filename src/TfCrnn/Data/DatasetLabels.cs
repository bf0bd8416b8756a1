using TfCrnn.Runtime;

namespace TfCrnn.Data;

/// <summary>
/// How a task's classes are drawn from a dataset: a folder named like a label is that class; any other word is the
/// task's <c>_unknown_</c> (else <c>_none_</c>) class, and background noise its <c>_silence_</c> (else <c>_none_</c>)
/// class; what has no class is not part of the task (the 35-word task uses only its words, as the paper does).
/// </summary>
internal static class DatasetLabels
{
    /// <summary>The class of the clips of <paramref name="folder"/> (<see cref="SpeechCommandsDataset.BackgroundNoiseFolder"/> for noise), or null.</summary>
    public static int? ClassOf(this LabelSet labels, string folder)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (folder == SpeechCommandsDataset.BackgroundNoiseFolder)
            return labels.IndexOf(LabelSet.Silence) ?? labels.IndexOf(LabelSet.None);
        return labels.IndexOf(folder)
            ?? (LabelSet.IsKeywordLabel(folder) ? labels.IndexOf(LabelSet.Unknown) ?? labels.IndexOf(LabelSet.None) : null);
    }

    /// <summary>The class background noise gives, or null when the task has none for it.</summary>
    public static int? NoiseClass(this LabelSet labels) => labels.ClassOf(SpeechCommandsDataset.BackgroundNoiseFolder);
}
