using TfCrnn.Evaluation;
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

    private static double CrossEntropy(int offset, long label)
    {
        var z = LogitValues.AsSpan(offset, 3).ToArray();
        return Math.Log(z.Sum(v => Math.Exp(v))) - z[label];
    }

    // Hand values: step 0: ln 3 and ln(e + 2); step 1: ln(e² + 2) − 2 and ln(e³ + 2) − 3.
    private static readonly double Step0 = (Math.Log(3) + Math.Log(Math.E + 2)) / 2;
    private static readonly double Step1 = (Math.Log(Math.Exp(2) + 2) - 2 + Math.Log(Math.Exp(3) + 2) - 3) / 2;

    [Fact]
    public void HandValuesMatchTheFormula()
    {
        Assert.Equal(Step0, (CrossEntropy(0, 0) + CrossEntropy(3, 2)) / 2, 12);
        Assert.Equal(Step1, (CrossEntropy(6, 0) + CrossEntropy(9, 2)) / 2, 12);
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
