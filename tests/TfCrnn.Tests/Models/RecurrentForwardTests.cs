using TfCrnn.Models;
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
    public void Logits_of_a_step_do_not_depend_on_later_samples(string variant)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(variant, width: 8);
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
    public void Step_t_is_excited_by_the_state_before_its_update()
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("tfcrnn-basic", width: 8);
        model.eval();
        using var noGrad = no_grad();
        var weights = model.state_dict();
        // TF-Basic scales are a function of h(t-1) only; sharpen it so that different states give clearly different scales.
        weights["blocks.block5.excitation.linear0.weight"].mul_(100);
        Tensor ScalesOf(Tensor hidden) => nn.functional.sigmoid(nn.functional.linear(
            nn.functional.relu(nn.functional.linear(hidden, weights["blocks.block5.excitation.linear0.weight"],
                weights["blocks.block5.excitation.linear0.bias"])),
            weights["blocks.block5.excitation.linear1.weight"], weights["blocks.block5.excitation.linear1.bias"]));

        // Silence, then a loud burst in the last 100 ms that only the last step sees: h(8) differs clearly from h(7).
        var input = zeros(2, 1, 16000);
        input[.., .., 14400..] = 10 * randn(2, 1, 1600, generator: new Generator(3));
        var full = model.Forward(input, ForwardExtras.Excitations);
        var scales = full.Excitations[^1]; // (9, 2, 32)
        // The first 8 windows alone end in h(7), the state before the last step's update.
        var stateBeforeLastStep = model.Forward(input[.., .., ..14400], ForwardExtras.None).Hidden!;

        Assert.True(scales[0].allclose(ScalesOf(zeros(2, 256)), rtol: 0, atol: 1e-6), "h(-1) = 0 feeds step 0");
        Assert.True(scales[8].allclose(ScalesOf(stateBeforeLastStep), rtol: 0, atol: 1e-5), "h(7) feeds step 8");
        Assert.True((scales[8] - ScalesOf(full.Hidden!)).abs().max().item<float>() > 1e-3f, "h(8) does not feed step 8");
    }

    [Theory]
    [InlineData("tfcrnn-basic", true)]
    [InlineData("tfcrnn-resse", true)]
    [InlineData("crnn-se", false)]
    public void Feedback_carries_gradients_from_later_steps_back_to_earlier_windows(string variant, bool feedsBack)
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create(variant, width: 8);
        model.eval();
        var input = randn(2, 1, 16000, generator: new Generator(4)).requires_grad_();
        // The last block has the widest excitation bottleneck (4 units at width 8), so its ReLU is not all dead.
        var scalesOfStep1 = model.Forward(input, ForwardExtras.Excitations).Excitations[^1][1];
        var gradient = autograd.grad([scalesOfStep1.sum()], [input])[0];

        // Samples [0, 1600) lie in window 0 only: step 1's scales see them solely through h(0) fed back into the
        // block, so a detached h(t-1) would zero this gradient, as it is zero for the CRNN without feedback.
        var throughFeedback = gradient[.., .., ..Hop].abs().max().item<float>();
        if (feedsBack) Assert.True(throughFeedback > 0f, "gradient flows through h(t-1)");
        else Assert.Equal(0f, throughFeedback);
        Assert.True(gradient[.., .., Hop..(Hop + Window)].abs().max().item<float>() > 0f, "step 1 sees its own window");
    }

    [Fact]
    public void Training_updates_batch_norm_statistics_once_per_step()
    {
        using var scope = NewDisposeScope();
        using var model = ModelFactory.Create("crnn-basic", width: 8);
        model.train();
        model.Forward(randn(2, 1, 16000), ForwardExtras.None);
        Assert.Equal(9L, model.state_dict()["blocks.block0.norm.num_batches_tracked"].item<long>());
    }
}
