using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models;

public sealed class RecurrentForwardTests
{
    private const int Hop = 1600;
    private const int Window = 3200;

    [Theory]
    [InlineData("crnn-resse")]
    [InlineData("tfcrnn-se")]
    public void LogitsOfAStepDoNotDependOnLaterSamples(string variant)
    {
        using var scope = NewDisposeScope();
        using var model = SeededModel(variant, seed: 7);
        model.eval();
        var input = randn(2, 1, 16000, generator: new Generator(1));
        const int step = 3;
        var changed = input.clone();
        changed[.., .., (step * Hop + Window)..] = randn(2, 1, 16000 - (step * Hop + Window), generator: new Generator(2));

        using var noGrad = no_grad();
        var before = model.Forward(input, ForwardExtras.None).Logits;
        var after = model.Forward(changed, ForwardExtras.None).Logits;

        Assert.Equal(0f, (before[..(step + 1)] - after[..(step + 1)]).abs().max().item<float>());
        Assert.True((before[step + 1] - after[step + 1]).abs().max().item<float>() > 0f, "the next step sees the change");
    }

    [Fact]
    public void StepTIsExcitedByTheStateBeforeItsUpdate()
    {
        using var scope = NewDisposeScope();
        using var model = SeededModel("tfcrnn-basic", seed: 5);
        model.eval();
        using var noGrad = no_grad();
        var weights = model.state_dict();
        // TF-Basic scales are a function of h(t-1) only; sharpen it so that different states give clearly different scales.
        weights["blocks.block5.excitation.linear0.weight"].mul_(100);
        Tensor ScalesOf(Tensor hidden) => nn.functional.sigmoid(nn.functional.linear(
            nn.functional.relu(nn.functional.linear(hidden, weights["blocks.block5.excitation.linear0.weight"],
                weights["blocks.block5.excitation.linear0.bias"])),
            weights["blocks.block5.excitation.linear1.weight"], weights["blocks.block5.excitation.linear1.bias"]));

        // A loud burst in the first 100 ms, then silence: step 0's update h(0) is far from the zero state h(-1).
        var input = zeros(2, 1, 16000);
        input[.., .., ..Hop] = 10 * randn(2, 1, Hop, generator: new Generator(3));
        var scales = model.Forward(input, ForwardExtras.Excitations).Excitations[^1]; // (9, 2, 32)
        var stateAfterFirstStep = model.Forward(input[.., .., ..Window], ForwardExtras.None).Hidden!;

        Assert.True(scales[0].allclose(ScalesOf(zeros(2, 256)), rtol: 0, atol: 1e-6), "h(-1) = 0 feeds step 0");
        Assert.True(scales[1].allclose(ScalesOf(stateAfterFirstStep), rtol: 0, atol: 1e-5), "h(0) feeds step 1");
        // The check above discriminates: had step 0 been fed its own update h(0), its scales would differ.
        Assert.True((ScalesOf(stateAfterFirstStep) - ScalesOf(zeros(2, 256))).abs().max().item<float>() > 1e-3f);
    }

    [Theory]
    [InlineData("tfcrnn-basic", true)]
    [InlineData("tfcrnn-resse", true)]
    [InlineData("crnn-se", false)]
    public void FeedbackCarriesGradientsFromLaterStepsBackToEarlierWindows(string variant, bool feedsBack)
    {
        using var scope = NewDisposeScope();
        using var model = SeededModel(variant, seed: 6);
        model.eval();
        var input = randn(2, 1, 16000, generator: new Generator(4)).requires_grad_();
        // The last block has the widest excitation bottleneck (4 units at width 8), so its ReLU is not all dead.
        var scalesOfStep1 = model.Forward(input, ForwardExtras.Excitations).Excitations[^1][1];
        // The zero term keeps the input in the graph, so that a missing path reads as a zero gradient, not a native error.
        var gradient = autograd.grad([scalesOfStep1.sum() + 0 * input.sum()], [input])[0];

        // Samples [0, 1600) lie in window 0 only: step 1's scales see them solely through h(0) fed back into the
        // block, so a detached h(t-1) would zero this gradient, as it is zero for the CRNN without feedback.
        var throughFeedback = gradient[.., .., ..Hop].abs().max().item<float>();
        if (feedsBack) Assert.True(throughFeedback > 0f, "gradient flows through h(t-1)");
        else Assert.Equal(0f, throughFeedback);
        Assert.True(gradient[.., .., Hop..(Hop + Window)].abs().max().item<float>() > 0f, "step 1 sees its own window");
    }

    [Fact]
    public void TrainingUpdatesBatchNormStatisticsOncePerStep()
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("crnn-basic", width: 8);
        model.train();
        model.Forward(randn(2, 1, 16000), ForwardExtras.None);
        Assert.Equal(9L, model.state_dict()["blocks.block0.norm.num_batches_tracked"].item<long>());
    }

    /// <summary>
    /// A width-8 model whose weights come from a seeded generator (PyTorch-like bounds), so that tests that depend on
    /// which ReLUs are alive are deterministic whatever other tests draw from the global generator meanwhile.
    /// </summary>
    private static SpeechCommandModel SeededModel(string variant, int seed)
    {
        var model = ModelFactory.Create(variant, width: 8);
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.Contains(".norm", StringComparison.Ordinal)) continue; // BatchNorm keeps weight 1, bias 0
            var fanIn = parameter.dim() > 1 ? parameter.numel() / parameter.shape[0] : 16;
            var bound = 1 / Math.Sqrt(fanIn);
            parameter.uniform_(-bound, bound, generator);
        }
        return model;
    }
}
