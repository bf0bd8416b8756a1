using TfCrnn.Data.Augmentation;
using TfCrnn.Runtime;

namespace TfCrnn.Data;

/// <summary>How a <see cref="BatchLoader"/> cuts an epoch into batches.</summary>
/// <param name="BatchSize">Examples per batch.</param>
/// <param name="Shuffle">A new seeded order every epoch (else clip order).</param>
/// <param name="DropLast">Leave out the last partial batch (training).</param>
/// <param name="Augment">Apply <paramref name="Augmentation"/> (training, or a corrupted evaluation) and, with
/// <see cref="Rejection"/>, the background mix.</param>
/// <param name="Seed">With the epoch number, fixes the order, the augmentation and the rejection draws.</param>
/// <param name="Limit">Use only a fixed subset of that many clips, chosen by a seeded shuffle independent of the epoch.</param>
/// <param name="Augmentation">The recipe when augmenting; null is the paper's (the training shift: docs/reference-implementation.md, "Data").</param>
internal sealed record BatchLoaderOptions(int BatchSize, bool Shuffle, bool DropLast, bool Augment, int Seed, int? Limit = null,
    AugmentationRecipe? Augmentation = null)
{
    /// <summary>The task: which clips take part and the class of each (<see cref="DatasetLabels.ClassOf"/>).</summary>
    public LabelSet Labels { get; init; } = LabelTasks.Commands.Classes;

    /// <summary>
    /// For a task with rejection classes: draw its examples per epoch (else every clip of the task is used once).
    /// Ignored for a task without rejection classes.
    /// </summary>
    public RejectionMix? Rejection { get; init; }
}
