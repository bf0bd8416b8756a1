using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TorchSharp;

namespace TfCrnn.Tests.Models;

public sealed class ModelArchitectureTests
{
    [Theory]
    [InlineData("cnn-basic", 1_203_747)]
    [InlineData("cnn-se", 1_345_027)]
    [InlineData("cnn-resse", 3_187_715)]
    [InlineData("crnn-basic", 1_588_771)]
    [InlineData("crnn-se", 1_713_379)]
    [InlineData("crnn-resse", 3_358_691)]
    [InlineData("tfcrnn-basic", 1_701_091)]
    [InlineData("tfcrnn-se", 1_762_531)]
    [InlineData("tfcrnn-resse", 3_407_843)]
    public void ParameterCountsEqualTheReference(string variant, long expected)
    {
        using var model = ModelFactory.Create(variant);
        Assert.Equal(expected, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void CnnHasSevenBlocksShrinking5334SamplesTo2()
    {
        var config = ModelConfig.For("cnn-se");
        Assert.Equal([5334, 1778, 592, 197, 65, 21, 7, 2], ModelArchitecture.FeatureLengths(config));
        Assert.Equal([128, 128, 256, 256, 256, 256, 512], ModelArchitecture.BlockChannels(config));
    }

    [Fact]
    public void RecurrentModelsHaveSixBlocksShrinking1067SamplesTo1()
    {
        var config = ModelConfig.For("tfcrnn-basic");
        Assert.Equal([1067, 355, 118, 39, 13, 4, 1], ModelArchitecture.FeatureLengths(config));
        Assert.Equal([128, 128, 256, 256, 256, 512], ModelArchitecture.BlockChannels(config));
        Assert.Equal(9, config.Steps);
    }

    [Fact]
    public void WidthScalesEveryBlock()
    {
        Assert.Equal([16, 16, 32, 32, 32, 64], ModelArchitecture.BlockChannels(ModelConfig.For("crnn-se") with { Width = 16 }));
    }

    [Theory]
    [InlineData("cnn-basic", 0.47)]
    [InlineData("cnn-se", 0.47)]
    [InlineData("cnn-resse", 1.02)]
    [InlineData("crnn-basic", 0.85)]
    [InlineData("tfcrnn-se", 0.85)]
    [InlineData("tfcrnn-resse", 1.85)]
    public void MacsMatchTheMeasuredCostsToTwoDigits(string variant, double expectedGiga)
    {
        Assert.Equal(expectedGiga, ModelArchitecture.Macs(ModelConfig.For(variant)) / 1e9, precision: 2);
    }

    [Theory]
    [InlineData("cnn-resse")]
    [InlineData("crnn-se")]
    [InlineData("tfcrnn-resse")]
    public void ForwardShapesFollowTheContract(string variant)
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelFactory.Create(variant, width: 8);
        model.eval();
        using var output = model.Forward(torch.randn(2, 1, 16000), ForwardExtras.Excitations | ForwardExtras.StepFeatures);
        var steps = model.Config.Steps;
        Assert.Equal([steps, 2, 35], output.Logits.shape);
        Assert.Equal([2, 35], output.LastStepLogits.shape);
        Assert.Equal(model.Config.IsRecurrent ? [2, 256] : null, output.Hidden?.shape);
        Assert.Equal(ModelArchitecture.BlockChannels(model.Config),
            output.Excitations.Select(e => (int)e.shape[2]).ToArray());
        Assert.All(output.Excitations, e => Assert.Equal([steps, 2], e.shape[..2]));
        Assert.Equal([steps, 2, ModelArchitecture.FeatureChannels(model.Config)], output.StepFeatures!.shape);
    }

    [Fact]
    public void DefaultInitialisationFollowsPytorchBounds()
    {
        using var model = ModelFactory.Create("crnn-basic");
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // kaiming_uniform(a=√5) on a conv with fan_in = 128·3 gives the bound 1/√fan_in, as for its bias.
        var convBound = 1 / Math.Sqrt(128 * 3);
        AssertUniformWithin(parameters["blocks.block1.conv.weight"], convBound);
        AssertUniformWithin(parameters["blocks.block1.conv.bias"], convBound);
        AssertUniformWithin(parameters["classifier.weight"], 1 / Math.Sqrt(256));
        AssertUniformWithin(parameters["cell.weight_ih"], 1 / Math.Sqrt(256));
        AssertUniformWithin(parameters["cell.bias_hh"], 1 / Math.Sqrt(256));
    }

    private static void AssertUniformWithin(torch.Tensor tensor, double bound)
    {
        var max = tensor.abs().max().item<float>();
        // n uniform samples all stay below (1 − 20/n)·bound with probability (1 − 20/n)^n < e^-20: never, in practice,
        // whatever the generator's state. Samples are float32, so the bound may be drawn as its float rounding.
        var n = tensor.numel();
        Assert.InRange(max, (1 - 20.0 / n) * bound, (float)bound);
    }
}
