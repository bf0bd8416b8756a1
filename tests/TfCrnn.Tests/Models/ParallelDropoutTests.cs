using TfCrnn.Models.Layers;
using TfCrnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models;

[Collection(TorchGlobalStateCollection.Name)]
public sealed class ParallelDropoutTests
{
    [Fact]
    public void KeepsEachElementWithProbabilityOneMinusPAndScalesIt()
    {
        using var scope = NewDisposeScope();
        using var dropout = new ParallelDropout(0.2);
        var input = ones(4, 64, 4000, requires_grad: true);
        manual_seed(3);
        var output = dropout.forward(input);
        output.sum().backward();

        var kept = output.ne(0);
        var keptShare = kept.to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(keptShare, 0.8 - 0.002, 0.8 + 0.002); // 1,024,000 draws: 5 standard deviations
        Assert.True(output.masked_select(kept).allclose(full(1, 1.25f)));
        Assert.True(input.grad!.eq(output).all().item<bool>(), "the gradient is the same mask and scale");
        // The mask's neighbouring elements are independent: pairs are both kept as often as 0.8².
        var pairs = kept[.., .., ..^1].logical_and(kept[.., .., 1..]).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(pairs, 0.64 - 0.003, 0.64 + 0.003);
    }

    [Fact]
    public void MasksFollowTorchsSeedAndEvalIsTheIdentity()
    {
        using var scope = NewDisposeScope();
        using var dropout = new ParallelDropout(0.5);
        var input = randn(2, 8, 100);
        manual_seed(7);
        var first = dropout.forward(input);
        var second = dropout.forward(input);
        manual_seed(7);
        Assert.True(dropout.forward(input).eq(first).all().item<bool>());
        Assert.False(second.eq(first).all().item<bool>(), "every call draws a new mask");
        dropout.eval();
        Assert.True(dropout.forward(input).eq(input).all().item<bool>());
    }
}
