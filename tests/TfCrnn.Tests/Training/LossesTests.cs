using TfCrnn.Evaluation;
using TfCrnn.Models;
using TfCrnn.Training;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Training;

public class LossesTests
{
    // Two steps, two clips, three classes.
    private static readonly float[] LogitValues =
    [
        0, 0, 0, /* step 0, clip 0 */ 1, 0, 0, /* step 0, clip 1 */
        2, 0, 0, /* step 1, clip 0 */ 0, 0, 3, /* step 1, clip 1 */
    ];

    private static readonly long[] LabelValues = [0, 2];

    // Worked by hand, then evaluated outside this code base (Python's math module):
    // step 0: (ln 3 + ln(e + 2)) / 2; step 1: (ln(e² + 2) − 2 + ln(e³ + 2) − 3) / 2.
    private const double Step0 = 1.3250285013000802;
    private const double Step1 = 0.16723386132142282;

    [Fact]
    public void EachStepsLossIsTorchsCrossEntropyOfThatStep()
    {
        using var logits = tensor(LogitValues, [2, 2, 3]);
        using var labels = tensor(LabelValues);
        using var step0 = nn.functional.cross_entropy(logits[0], labels);
        using var step1 = nn.functional.cross_entropy(logits[1], labels);
        Assert.Equal(Step0, step0.item<float>(), 5);
        Assert.Equal(Step1, step1.item<float>(), 5);
    }

    [Fact]
    public void ManyToManyIsTheMeanOverStepsOfEachStepsCrossEntropy()
    {
        using var logits = tensor(LogitValues, [2, 2, 3]);
        using var labels = tensor(LabelValues);
        using var loss = Losses.Training(logits, labels, OutputMode.ManyToMany);
        Assert.Empty(loss.shape);
        Assert.Equal((Step0 + Step1) / 2, loss.item<float>(), 5);
    }

    [Fact]
    public void ManyToOneIsTheCrossEntropyOfTheLastStep()
    {
        using var logits = tensor(LogitValues, [2, 2, 3]);
        using var labels = tensor(LabelValues);
        using var loss = Losses.Training(logits, labels, OutputMode.ManyToOne);
        Assert.Equal(Step1, loss.item<float>(), 5);
    }

    [Fact]
    public void ValidationUsesTheLastStepWhateverTheTrainingMode()
    {
        using var logits = tensor(LogitValues, [2, 2, 3]);
        using var labels = tensor(LabelValues);
        using var loss = LastStepLoss.Compute(logits, labels);
        Assert.Equal(Step1, loss.item<float>(), 5);
    }

    [Fact]
    public void OneStepModelsHaveTheSameLossInBothModes()
    {
        using var logits = tensor(LogitValues.AsSpan(6, 6).ToArray(), [1, 2, 3]);
        using var labels = tensor(LabelValues);
        using var manyToMany = Losses.Training(logits, labels, OutputMode.ManyToMany);
        using var manyToOne = Losses.Training(logits, labels, OutputMode.ManyToOne);
        Assert.Equal(Step1, manyToMany.item<float>(), 5);
        Assert.Equal(Step1, manyToOne.item<float>(), 5);
    }
}
