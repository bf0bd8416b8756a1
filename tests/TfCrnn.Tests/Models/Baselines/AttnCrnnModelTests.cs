using TfCrnn.Data;
using TfCrnn.Models.AttnCrnn;
using TfCrnn.Tests.Support;
using TfCrnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>AttnCRNN (de Andrade et al. 2018): its layers, its parameter count, and that it learns.</summary>
// The tiny training's initialisation draws from torch's global generator; the float64 twin changes its default type.
[Collection(TorchGlobalStateCollection.Name)]
public sealed class AttnCrnnModelTests
{
    /// <summary>The parameters of each layer for 35 classes; together the issue's 202,216.</summary>
    [Fact]
    public void ItHas202216ParametersForThirtyFiveClasses()
    {
        using var model = new AttnCrnnModel(BaselineConfigs.AttnCrnn(35));
        var perLayer = model.named_parameters().GroupBy(p => p.name.Split('.')[0])
            .ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));
        Assert.Equal(new Dictionary<string, long>
        {
            ["conv0"] = 5 * 10 + 10,
            ["norm0"] = 2 * 10,
            ["conv1"] = 5 * 10 + 1,
            ["norm1"] = 2,
            ["lstm"] = 2 * 4 * 64 * (80 + 64 + 2) + 2 * 4 * 64 * (128 + 64 + 2),
            ["query"] = 128 * 128 + 128,
            ["dense0"] = 128 * 64 + 64,
            ["dense1"] = 64 * 32 + 32,
            ["classifier"] = 32 * 35 + 35,
        }, perLayer);
        Assert.Equal(202_216, perLayer.Values.Sum());
    }

    [Fact]
    public void ASecondBecomes125FramesOf80BandsThen128LstmFeaturesThenLogits()
    {
        using var scope = NewDisposeScope();
        using var model = new AttnCrnnModel(BaselineConfigs.AttnCrnn(7));
        model.eval();
        var (clips, _) = SyntheticSounds.Batch(2, new Generator(1));
        using var noGrad = no_grad();
        Assert.Equal([2, 80, 125], model.FrontEnd.forward(clips).shape);
        Assert.Equal([2, 125, 128], model.Sequence(clips).shape);
        Assert.Equal([1, 2, 7], model.forward(clips).Logits.shape);
        Assert.Equal(125, model.FrontEnd.Frames(16_000));
    }

    [Fact]
    public void TheStateDictNamesItsLayersAndBothDirectionsOfBothLstmLayers()
    {
        using var model = new AttnCrnnModel(BaselineConfigs.AttnCrnn(35));
        var state = model.state_dict();
        foreach (var (layer, inputs) in new[] { ("l0", 80L), ("l0_reverse", 80L), ("l1", 128L), ("l1_reverse", 128L) })
        {
            Assert.Equal([4 * 64, inputs], state[$"lstm.weight_ih_{layer}"].shape);
            Assert.Equal([4 * 64, 64], state[$"lstm.weight_hh_{layer}"].shape);
            Assert.Equal([4 * 64], state[$"lstm.bias_ih_{layer}"].shape);
            Assert.Equal([4 * 64], state[$"lstm.bias_hh_{layer}"].shape);
        }
        Assert.Equal([10, 1, 5, 1], state["conv0.weight"].shape);
        Assert.Equal([1, 10, 5, 1], state["conv1.weight"].shape);
        Assert.Equal([1], state["norm1.running_var"].shape);
        Assert.DoesNotContain(state.Keys, key => key.StartsWith("front_end.", StringComparison.Ordinal));
    }

    /// <summary>
    /// Float32 gives float64's logits and gradients in training mode: libtorch's channels-first kernel for the 10 → 1
    /// convolution was wrong on an AVX-512 CPU (see <see cref="AttnCrnnModel"/>), the channels-last one is right.
    /// </summary>
    [Fact]
    public void ItComputesInFloat32WhatItComputesInFloat64()
    {
        using var scope = NewDisposeScope();
        var clips = randn([3, 1, 4000], generator: new Generator(6)).mul_(0.1 * Preprocessing.InputScale);
        var labels = tensor(new long[] { 0, 1, 2 });
        var differences = Float64Agreement.RelativeDifferences(() => new AttnCrnnModel(BaselineConfigs.AttnCrnn(SyntheticSounds.Classes)), clips, labels, training: true);
        Assert.All(differences, d => Assert.True(d.Value < 1e-3, $"{d.Key}: relative difference {d.Value:e1}"));
    }

    /// <summary>
    /// Low tones, high tones and noise, a quarter of a second each (32 frames; the model takes any length): 30 Adam
    /// steps on batches of 12 fresh clips (a fixed seed) take the training loss from chance (ln 3) to under a tenth of
    /// it, and every one of 30 unseen clips is then recognised.
    /// </summary>
    [Fact]
    public void ATinyModelLearnsATinyTask()
    {
        const int samples = 4000;
        manual_seed(3);
        using var model = new AttnCrnnModel(BaselineConfigs.AttnCrnn(SyntheticSounds.Classes));
        using var optimizer = new ScalarSafeAdam(model.parameters(), 3e-3);
        var generator = new Generator(4);
        var losses = new List<float>();
        for (var step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            var (clips, labels) = SyntheticSounds.Batch(12, generator, samples);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(clips).LastStepLogits, labels);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.InRange(losses[0], 0.8, 1.5);
        Assert.True(losses.TakeLast(5).Average() < 0.11, $"losses {string.Join(", ", losses)}");

        model.eval();
        using var evalScope = NewDisposeScope();
        using var noGrad = no_grad();
        var (test, truth) = SyntheticSounds.Batch(30, new Generator(5), samples);
        Assert.Equal(truth.data<long>().ToArray(), model.forward(test).LastStepLogits.argmax(1).data<long>().ToArray());
    }
}
