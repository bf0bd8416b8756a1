using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace TfCrnn.Evaluation;

/// <summary>
/// The loss that validation, test and <c>eval</c> report (docs/reference-implementation.md, "Training"): the cross-entropy of the
/// last step only, whatever loss the model was trained with.
/// </summary>
internal static class LastStepLoss
{
    /// <param name="logits">(steps, batch, classes).</param>
    /// <param name="labels">(batch) int64 class indices.</param>
    /// <returns>A scalar.</returns>
    public static Tensor Compute(Tensor logits, Tensor labels) => cross_entropy(logits[-1], labels);
}
