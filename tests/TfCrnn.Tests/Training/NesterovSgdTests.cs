using TfCrnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Training;

public class NesterovSgdTests
{
    [Fact]
    public void FollowsPyTorchsNesterovUpdateByHand()
    {
        // loss = 2·w, so the gradient is 2 every step. μ = 0.9, lr = 0.1:
        // step 1: b = 2, w = 1 − 0.1·(2 + 0.9·2) = 0.62; step 2: b = 0.9·2 + 2 = 3.8, w = 0.62 − 0.1·(2 + 0.9·3.8) = 0.078.
        using var w = new TorchSharp.Modules.Parameter(tensor(new[] { 1f }));
        using var optimizer = new NesterovSgd([w], 0.1, 0.9);
        float[] expected = [0.62f, 0.078f];
        foreach (var value in expected)
        {
            optimizer.zero_grad();
            using var loss = (w * 2).sum();
            loss.backward();
            optimizer.step();
            Assert.Equal(value, w.item<float>(), 5);
        }
    }

    [Fact]
    public void MatchesTorchSharpsSgdOnAModel()
    {
        static float[] Train(Func<IEnumerable<TorchSharp.Modules.Parameter>, torch.optim.Optimizer> makeOptimizer)
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

        var ours = Train(p => new NesterovSgd(p, 0.05, 0.9));
        var theirs = Train(p => optim.SGD(p, 0.05, momentum: 0.9, nesterov: true));
        Assert.Equal(theirs, ours, (a, b) => Math.Abs(a - b) < 1e-6);
    }
}
