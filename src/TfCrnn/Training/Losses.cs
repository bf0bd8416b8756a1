using TfCrnn.Evaluation;
using TfCrnn.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace TfCrnn.Training;

/// <summary>The paper's losses (docs/reference-implementation.md, "Training") on logits shaped (steps, batch, classes).</summary>
internal static class Losses
{
    /// <summary>
    /// Training loss, a scalar: many-to-many = mean over steps of each step's cross-entropy against
    /// the clip's label; many-to-one (and the one-step CNN) = cross-entropy of the last step.
    /// </summary>
    /// <param name="logits">(steps, batch, classes).</param>
    /// <param name="labels">(batch) int64 class indices.</param>
    public static Tensor Training(Tensor logits, Tensor labels, OutputMode io)
    {
        if (io == OutputMode.ManyToOne)
            return LastStepLoss.Compute(logits, labels);
        // Every step has the same batch, so the mean of per-step means is the mean over all (step, clip) pairs.
        var (steps, batch, classes) = (logits.shape[0], logits.shape[1], logits.shape[2]);
        return cross_entropy(logits.reshape(steps * batch, classes), labels.repeat(steps));
    }
}
