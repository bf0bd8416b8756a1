using System.Text.RegularExpressions;
using TfCrnn.Models;
using TfCrnn.Models.Layers;
using TfCrnn.Models.Paper;
using TfCrnn.Native;
using TfCrnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models;

/// <summary>
/// Every model's inference form (for the paper's nine, BatchNorm folded) is the trained model's eval-mode function. Tolerances: float32 logits within 1e-4
/// absolute (the reference fixtures' bound; measured ~1e-7) and equal predictions up to ties; bfloat16 logits
/// within 5 % of the float32 logits' spread (bfloat16 keeps 8 significant bits).
/// </summary>
public sealed class InferenceModelTests
{
    [Theory]
    [MemberData(nameof(ModelVariants.Registry), MemberType = typeof(ModelVariants))]
    public void TheFloat32InferenceFormIsTheEvalModeFunctionOfEveryModel(string variant)
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.WithTrainedLookingBatchNorms(variant, width: 8, seed: 3);
        var input = 3 * randn(model.Config.Model.InputShape(model.Config, 2), generator: new Generator(4));
        using var inference = InferenceModel.Create(model);

        using var noGrad = no_grad();
        var expected = model.Forward(input, ForwardExtras.None).Logits;
        var actual = inference.Forward(input);

        Assert.Equal(expected.shape, actual.shape);
        Assert.True(MaxDifference(expected, actual) < 1e-4, $"max difference {MaxDifference(expected, actual)}");
        AssertSamePredictionsUpToTies(expected, actual, tolerance: 1e-4);
    }

    /// <summary>
    /// Each step's predicted class is the same, or a class whose expected logit ties the top one within the logit
    /// tolerance: an untrained model's near-ties may flip with the CPU's summation order (CI met one).
    /// </summary>
    private static void AssertSamePredictionsUpToTies(Tensor expected, Tensor actual, double tolerance)
    {
        var top = expected.max(-1).values;
        var atActualChoice = expected.gather(-1, actual.argmax(-1, keepdim: true)).squeeze(-1);
        var shortfall = (top - atActualChoice).max().item<float>();
        Assert.True(shortfall < tolerance, $"a prediction differs by {shortfall} in logit, more than a tie");
    }

    [Theory]
    [MemberData(nameof(ModelVariants.Recurrent), MemberType = typeof(ModelVariants))]
    public void StepIsTheModelsStep(string variant)
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.WithTrainedLookingBatchNorms(variant, width: 8, seed: 5);
        var recurrent = (IRecurrentModel)model;
        using var inference = InferenceModel.Create(model);
        var window = randn(model.Config.Model.StepInputShape(model.Config, 2), generator: new Generator(6));
        var hidden = randn(2, model.Config.StateSize, generator: new Generator(7));

        using var noGrad = no_grad();
        var (expectedLogits, expectedHidden) = recurrent.Step(window, hidden);
        var (logits, next) = inference.Step(window, hidden);
        // One window heard by both lanes: the same as the window given to each.
        var (sharedLogits, sharedNext) = inference.Step(window[..1], hidden);
        var (eachLogits, eachNext) = inference.Step(window[..1].expand(window.shape), hidden);

        Assert.True(MaxDifference(expectedLogits, logits) < 1e-5);
        Assert.True(MaxDifference(expectedHidden, next) < 1e-5);
        Assert.True(MaxDifference(eachLogits, sharedLogits) < 1e-5);
        Assert.True(MaxDifference(eachNext, sharedNext) < 1e-5);
        Assert.Equal(inference.InitialHidden(2).shape, recurrent.InitialHidden(2).shape);
    }

    /// <summary>
    /// The default inference form, which a model without a form of its own gets (<see cref="ModelDeclaration.ForInference"/>),
    /// shown on a paper model: the module's own function, a snapshot of the weights, and float32 only.
    /// </summary>
    [Theory]
    [InlineData("cnn-resse")]
    [InlineData("tfcrnn-se")]
    public void TheEvalModeFormRunsASnapshotOfTheModule(string variant)
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.WithTrainedLookingBatchNorms(variant, width: 8, seed: 13);
        var input = 3 * randn(2, 1, 16000, generator: new Generator(14));
        using var inference = new EvalModeInferenceModel(model, new InferenceOptions());
        using var noGrad = no_grad();
        var expected = model.Forward(input, ForwardExtras.None).Logits;

        foreach (var parameter in model.parameters()) parameter.add_(1); // training goes on; the snapshot does not move
        var actual = inference.Forward(input);

        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(0, MaxDifference(expected, actual));
        if (model is IRecurrentModel)
        {
            var (logits, _) = inference.Step(input[.., .., ..model.Config.Geometry.Window], inference.InitialHidden(2));
            Assert.True(MaxDifference(expected[0], logits) < 1e-5);
        }
        else
            Assert.Throws<InvalidOperationException>(() => inference.Step(input, inference.InitialHidden(2)));
        Assert.Equal("--precision", Assert.Throws<OptionException>(() =>
            new EvalModeInferenceModel(model, new InferenceOptions { Precision = InferencePrecision.BFloat16 })).Option);
    }

    [Fact]
    public void ABatchLargerThanAChunkGivesEveryClipItsOwnLogits()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.WithTrainedLookingBatchNorms("cnn-basic", width: 8, seed: 8);
        using var inference = InferenceModel.Create(model);
        // cnn-basic at width 8: the stem map is 5,334 × 8 floats a clip, so 8 MiB hold 49 clips.
        Assert.Equal(49, inference.ChunkClips);
        var input = randn(51, 1, 16000, generator: new Generator(9));

        var all = inference.Forward(input);
        var alone = cat([inference.Forward(input[..1]), inference.Forward(input[49..51])], 1);

        Assert.Equal([1L, 51, 35], all.shape);
        Assert.True(MaxDifference(all[.., TensorIndex.Tensor(tensor(new long[] { 0, 49, 50 }))], alone) < 1e-5);
    }

    [Fact]
    public void ACnnHasNoSteps()
    {
        using var model = ModelFactory.Create("cnn-se", width: 8);
        using var inference = InferenceModel.Create(model);
        using var window = zeros(1, 1, 3200);
        using var hidden = zeros(1, 256);
        Assert.Throws<InvalidOperationException>(() => inference.Step(window, hidden));
    }

    [Fact]
    public void BFloat16ModelAgreesWithFloat32()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.WithTrainedLookingBatchNorms("tfcrnn-resse", width: 8, seed: 10);
        // Emulated where the CPU lacks bfloat16: the same roundings, only slower.
        using var reduced = InferenceModel.CreateEmulated(model, new InferenceOptions { Precision = InferencePrecision.BFloat16 });
        using var exact = InferenceModel.Create(model);
        var input = 3 * randn(2, 1, 16000, generator: new Generator(11));

        var expected = exact.Forward(input);
        var actual = reduced.Forward(input);

        Assert.Equal(ScalarType.Float32, actual.dtype);
        var spread = (expected.max() - expected.min()).item<float>();
        Assert.True(MaxDifference(expected, actual) < 0.05 * spread, $"max difference {MaxDifference(expected, actual)}, spread {spread}");
        Assert.True(MaxDifference(expected, actual) > 0, "the trunk really ran in bfloat16");
    }

    [Fact]
    public void BFloat16IsRefusedWithAClearMessageWhereTheCpuLacksIt()
    {
        var options = new InferenceOptions { Precision = InferencePrecision.BFloat16 };
        if (CpuInfo.Current.SupportsBFloat16)
            Assert.Same(options, options.Validate());
        else
        {
            var error = Assert.Throws<OptionException>(() => options.Validate());
            Assert.Equal("--precision", error.Option);
            Assert.Contains("avx512_bf16", error.Message);
            Assert.Contains(CpuInfo.Current.Model, error.Message);
        }
        Assert.Equal(InferencePrecision.Float32, InferenceOptions.ParsePrecision("fp32"));
        Assert.Equal(InferencePrecision.BFloat16, InferenceOptions.ParsePrecision("bf16"));
        Assert.Contains("fp32, bf16", Assert.Throws<OptionException>(() => InferenceOptions.ParsePrecision("int4")).Message);
    }

    [Fact]
    public void FoldingABatchnormIntoItsConvolutionIsExact()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(12);
        var (weight, bias) = (randn(5, 3, 3, float64, generator: g), randn(5, float64, generator: g));
        var (gamma, beta) = (rand(5, float64, generator: g) + 0.5, randn(5, float64, generator: g));
        var (mean, variance) = (randn(5, float64, generator: g), rand(5, float64, generator: g) + 0.1);
        var x = randn(2, 3, 20, float64, generator: g);

        var expected = nn.functional.batch_norm(nn.functional.conv1d(x, weight, bias, padding: 1), mean, variance, gamma, beta,
            training: false, eps: 1e-5);
        var (foldedWeight, foldedBias) = BatchNormFolding.Fold(weight, bias, gamma, beta, mean, variance);

        Assert.True(MaxDifference(expected, nn.functional.conv1d(x, foldedWeight, foldedBias, padding: 1)) < 1e-12);
        var (_, noBias) = BatchNormFolding.Fold(weight, null, gamma, beta, mean, variance);
        Assert.True(MaxDifference(noBias, (-mean) * gamma / (variance + 1e-5).sqrt() + beta) < 1e-12);
    }

    private static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64)).abs().max().item<double>();
    }
}
