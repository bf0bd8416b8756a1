using TfCrnn.Tests.Support;
using TfCrnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Training;

// Both optimizers must start from the same seeded weights and data: torch's global generator must not be shared.
[Collection(TorchGlobalStateCollection.Name)]
public class OptimizerTests
{
    [Fact]
    public void NesterovSgdFollowsPyTorchsUpdateByHand()
    {
        // loss = 2·w, so the gradient is 2 every step. μ = 0.9, lr = 0.1:
        // step 1: b = 2, w = 1 − 0.1·(2 + 0.9·2) = 0.62; step 2: b = 0.9·2 + 2 = 3.8, w = 0.62 − 0.1·(2 + 0.9·3.8) = 0.078.
        StepsOfConstantGradient(p => new NesterovSgd(p, 0.1, 0.9), [0.62f, 0.078f]);
    }

    [Fact]
    public void AdamFollowsPyTorchsUpdateByHand()
    {
        // A constant gradient g: the bias-corrected averages are m̂ = g and v̂ = g², so each step moves w by lr·g/|g| = lr.
        StepsOfConstantGradient(p => new ScalarSafeAdam(p, 0.1), [0.9f, 0.8f, 0.7f]);
    }

    [Fact]
    public void NesterovSgdMatchesTorchSharpsSgdOnAModel() =>
        Assert.Equal(Train(p => optim.SGD(p, 0.05, momentum: 0.9, nesterov: true)), Train(p => new NesterovSgd(p, 0.05, 0.9)),
            (a, b) => Math.Abs(a - b) < 1e-6);

    [Fact]
    public void ScalarSafeAdamMatchesTorchSharpsAdamOnAModel() =>
        Assert.Equal(Train(p => optim.Adam(p, 0.01, beta2: 0.999)), Train(p => new ScalarSafeAdam(p, 0.01)),
            (a, b) => Math.Abs(a - b) < 1e-6);

    [Fact]
    public void TheRegistryMakesEachOptimizerAndNamesTheOptionForAnUnknownOne()
    {
        using var w = new TorchSharp.Modules.Parameter(tensor(new[] { 1f }));
        using (var sgd = Optimizers.Create("sgd", [w], 0.1)) Assert.IsType<NesterovSgd>(sgd);
        using (var adam = Optimizers.Create("adam", [w], 0.1)) Assert.IsType<ScalarSafeAdam>(adam);
        var error = Assert.Throws<OptionException>(() => Optimizers.Create("rmsprop", [w], 0.1));
        Assert.Equal("--optimizer must be one of sgd, adam, got 'rmsprop'", error.Message);
    }

    /// <summary>Steps on loss = 2·w from w = 1, checking w after each.</summary>
    /// <summary>
    /// Resuming reads Adam's step counts itself, so that PyBridge's <c>load_py</c> gets numbers where it would read
    /// tensors through temporary Scalars (docs/torchsharp-scalars.md); the state loaded is the one saved.
    /// </summary>
    [Fact]
    public void AdamsSavedStepCountsReachLoadPyAsNumbersAndLoadAsSaved()
    {
        using var folder = new TempDirectory("adam-state");
        var path = folder.Combine("optimizer.pt");
        using var w = new TorchSharp.Modules.Parameter(tensor(new[] { 1f, 2f }));
        using (var trained = new ScalarSafeAdam([w], 0.1))
        {
            for (var i = 0; i < 3; i++)
            {
                trained.zero_grad();
                using var loss = (w * w).sum();
                loss.backward();
                trained.step();
            }
            TorchSharp.PyBridge.PyBridgeOptimizerExtensions.save_py(trained, path);
        }
        using (NewDisposeScope())
        {
            var saved = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
            Assert.IsType<Tensor>(((System.Collections.IDictionary)((System.Collections.IDictionary)saved["state"]!)[0]!)["step"]);
            using var plain = RunFolder.WithPlainSteps(path);
            var read = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(plain, leaveOpen: true);
            var step = ((System.Collections.IDictionary)((System.Collections.IDictionary)read["state"]!)[0]!)["step"];
            Assert.IsNotType<Tensor>(step);
            Assert.Equal(3L, Convert.ToInt64(step, System.Globalization.CultureInfo.InvariantCulture));
        }

        using var v = new TorchSharp.Modules.Parameter(tensor(new[] { 1f, 2f }));
        using var loaded = new ScalarSafeAdam([v], 0.1);
        using (var plain = RunFolder.WithPlainSteps(path))
            TorchSharp.PyBridge.PyBridgeOptimizerExtensions.load_py(loaded, plain);
        var state = (TorchSharp.Modules.Adam.State)loaded.state_dict().State[0];
        Assert.Equal(3, state.step);
        Assert.True(state.exp_avg.abs().sum().item<float>() > 0);
    }

    private static void StepsOfConstantGradient(Func<IEnumerable<TorchSharp.Modules.Parameter>, torch.optim.Optimizer> makeOptimizer,
        float[] expected)
    {
        using var w = new TorchSharp.Modules.Parameter(tensor(new[] { 1f }));
        using var optimizer = makeOptimizer([w]);
        foreach (var value in expected)
        {
            optimizer.zero_grad();
            using var loss = (w * 2).sum();
            loss.backward();
            optimizer.step();
            Assert.Equal(value, w.item<float>(), 5);
        }
    }

    /// <summary>A linear classifier's weights after five steps on a fixed batch.</summary>
    private static float[] Train(Func<IEnumerable<TorchSharp.Modules.Parameter>, torch.optim.Optimizer> makeOptimizer)
    {
        manual_seed(7);
        using var model = nn.Linear(5, 3);
        using var optimizer = makeOptimizer(model.parameters());
        using var x = randn(8, 5);
        using var y = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });
        for (var i = 0; i < 5; i++)
        {
            optimizer.zero_grad();
            using var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
        }
        return model.weight!.data<float>().ToArray();
    }
}
