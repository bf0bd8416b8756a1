using TfCrnn.Data;
using TfCrnn.Interop;
using TfCrnn.Models.HarmonicCnn;
using TfCrnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>
/// HarmonicCNN (Won et al. 2020): its layers and parameter count, how it places a one-second clip, and parity with
/// the authors' own class (<c>tests/fixtures/reference-harmonic-cnn</c>).
/// </summary>
[Collection(TorchGlobalStateCollection.Name)] // the float64 twin changes torch's default type
public sealed class HarmonicCnnModelTests
{
    private const string FixtureFolder = "reference-harmonic-cnn";

    /// <summary>The parameters of each layer at the paper's width; together the 3,627,696, as the authors' class.</summary>
    [Fact]
    public void ItHas3627696ParametersAtWidth128ForThirtyFiveClasses()
    {
        using var model = new HarmonicCnnModel(BaselineConfigs.HarmonicCnn(35));
        var perLayer = model.named_parameters()
            .GroupBy(p => p.name.StartsWith("blocks.", StringComparison.Ordinal) ? string.Join('.', p.name.Split('.')[..2]) : p.name.Split('.')[0])
            .ToDictionary(g => g.Key, g => g.Sum(p => p.parameter.numel()));
        const long plain128 = 6 * 128 * 9 + 128 + 2 * 128;
        const long residual128 = 2 * (128 * 128 * 9 + 128 + 2 * 128);
        const long plain256 = 128 * 256 * 9 + 256 + 2 * 256;
        const long residual256 = 2 * (256 * 256 * 9 + 256 + 2 * 256);
        Assert.Equal(new Dictionary<string, long>
        {
            ["front_end"] = 1,
            ["harmonic_norm"] = 2 * 6,
            ["blocks.block0"] = plain128,
            ["blocks.block1"] = residual128,
            ["blocks.block2"] = residual128,
            ["blocks.block3"] = residual128,
            ["blocks.block4"] = plain256,
            ["blocks.block5"] = residual256,
            ["blocks.block6"] = residual256,
            ["dense"] = 256 * 256 + 256,
            ["dense_norm"] = 2 * 256,
            ["classifier"] = 256 * 35 + 35,
        }, perLayer);
        Assert.Equal(3_627_696, perLayer.Values.Sum());
    }

    /// <summary>
    /// 80,000 samples make 313 frames of 6 × 128 harmonic bands; the seven poolings leave 1 × 4 of 2 · width
    /// channels; a bare second (63 frames) would not survive them.
    /// </summary>
    [Fact]
    public void FiveSecondsBecome313FramesOf6By128BandsThenOneByFour()
    {
        using var scope = NewDisposeScope();
        using var model = new HarmonicCnnModel(BaselineConfigs.HarmonicCnn(5, width: 8));
        model.eval();
        using var noGrad = no_grad();
        var (clips, _) = SyntheticSounds.Batch(2, new Generator(1));
        var front = model.FrontEnd;
        Assert.Equal((6, 128, 256), (front.Harmonics, front.Pitches, front.Hop));
        var features = front.forward(zeros(2, 1, HarmonicCnnModel.InputSamples));
        Assert.Equal([2, 6, 128, 313], features.shape);
        var shapes = new List<long[]>();
        foreach (var block in model.Blocks)
        {
            features = block.forward(features);
            shapes.Add(features.shape);
        }
        Assert.Equal(new long[][]
        {
            [2, 8, 64, 156], [2, 8, 32, 78], [2, 8, 16, 39], [2, 8, 8, 19], [2, 16, 4, 9], [2, 16, 2, 4], [2, 16, 1, 4],
        }, shapes);
        Assert.Equal([false, true, true, true, false, true, true], model.Blocks.Select(b => b.IsResidual));
        Assert.Equal([1, 2, 5], model.forward(clips).Logits.shape);
        Assert.Equal(63, front.Frames(16_000));
    }

    /// <summary>
    /// The authors' class with seeded weights (width 8, eval mode, <c>bench/pytorch/export_harmonic_cnn_fixture.py</c>):
    /// our model with their weights gives their logits within 1e-4 for the three clips, each centred in 80,000 samples.
    /// </summary>
    [Fact]
    public void ItReproducesTheAuthorsLogits()
    {
        using var scope = NewDisposeScope();
        using var model = AuthorsModel();
        var io = StateDict.ReadPyTorch(TestPaths.Fixture(FixtureFolder, "harmonic-cnn.io.pt"));
        using var noGrad = no_grad();
        var logits = model.forward(io["input"]).LastStepLogits;
        AssertClose(io["logits"], logits, 1e-4);
        Assert.Equal(io["logits"].argmax(1).data<long>().ToArray(), logits.argmax(1).data<long>().ToArray());
    }

    /// <summary>
    /// The harmonic filterbank with the authors' Q gives their front end's decibels (torchaudio's Spectrogram and
    /// AmplitudeToDB, their filters) on a stretch of two clips, within 1e-3 dB.
    /// </summary>
    [Fact]
    public void ItsFrontEndReproducesTheAuthorsHarmonicSpectrogram()
    {
        using var scope = NewDisposeScope();
        using var model = AuthorsModel();
        var io = StateDict.ReadPyTorch(TestPaths.Fixture(FixtureFolder, "harmonic-cnn.io.pt"));
        using var noGrad = no_grad();
        var input = io["front_end_input"].unsqueeze(1) * Preprocessing.InputScale;
        AssertClose(io["front_end_output"], model.FrontEnd.forward(input), 1e-3);
    }

    [Fact]
    public void EvalCentresTheClipAndTrainingPlacesEachClipWhereItsGeneratorSays()
    {
        using var scope = NewDisposeScope();
        var clips = arange(1, 2 * 16_000 + 1, dtype: ScalarType.Float32).view(2, 1, 16_000);
        using var placement = new ClipPlacement(80_000) { Generator = new Generator(9) };
        placement.eval();
        var centred = placement.forward(clips);
        Assert.Equal([2, 1, 80_000], centred.shape);
        Assert.Equal(new long[] { 32_000, 32_000 }, Starts(centred));

        placement.train();
        var first = Starts(placement.forward(clips));
        var second = Starts(placement.forward(clips));
        using var again = new ClipPlacement(80_000) { Generator = new Generator(9) };
        again.train();
        Assert.Equal(first, Starts(again.forward(clips)));
        Assert.NotEqual(first, second);
        Assert.NotEqual(first[0], first[1]);
        Assert.All(first.Concat(second), start => Assert.InRange(start, 0, 64_000));
        Assert.Throws<ArgumentException>(() => placement.forward(zeros(1, 1, 80_001)));

        // The offset of each clip, checked to hold the whole clip there and zeros elsewhere.
        long[] Starts(Tensor placed)
        {
            var starts = new long[placed.shape[0]];
            for (var i = 0; i < starts.Length; i++)
            {
                var lane = placed[i, 0];
                starts[i] = lane.ne(0).nonzero()[0, 0].item<long>();
                Assert.Equal(clips[i, 0].data<float>().ToArray(), lane.narrow(0, starts[i], 16_000).data<float>().ToArray());
                Assert.Equal(clips[i, 0].sum(ScalarType.Float64).item<double>(), lane.sum(ScalarType.Float64).item<double>());
            }
            return starts;
        }
    }

    /// <summary>
    /// A training step reaches every parameter; every weight, and the filterbank's Q, gets a non-zero gradient (the
    /// biases just before a BatchNorm get next to none: training-mode BatchNorm takes them out again).
    /// </summary>
    [Fact]
    public void EveryParameterAndTheBandwidthQGetAGradient()
    {
        using var scope = NewDisposeScope();
        using var model = new HarmonicCnnModel(BaselineConfigs.HarmonicCnn(SyntheticSounds.Classes, width: 8));
        model.DrawRandomnessFrom(new Generator(3));
        var (clips, labels) = SyntheticSounds.Batch(3, new Generator(4));
        nn.functional.cross_entropy(model.forward(clips).LastStepLogits, labels).backward();
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} has no gradient");
            if (name.EndsWith(".weight", StringComparison.Ordinal) || name == "front_end.bandwidth_q")
                Assert.True(parameter.grad!.abs().sum().item<float>() > 0, $"{name} has a zero gradient");
        }
        Assert.Equal("front_end.bandwidth_q", model.named_parameters().First().name);
    }

    /// <summary>
    /// Float32 gives float64's logits and gradients, Q's included (eval mode: no random placement or dropout), at the
    /// fixture's width 8. (At width 4, libtorch's float32 input gradient of the first 6 → 4 convolution was wrong on an
    /// AVX-512 CPU; widths 8 and 128 are exact, and widths are multiples of 8.)
    /// </summary>
    [Fact]
    public void ItComputesInFloat32WhatItComputesInFloat64()
    {
        using var scope = NewDisposeScope();
        var clips = randn([2, 1, 16_000], generator: new Generator(6)).mul_(0.1 * Preprocessing.InputScale);
        var labels = tensor(new long[] { 0, 2 });
        var differences = Float64Agreement.RelativeDifferences(() => new HarmonicCnnModel(BaselineConfigs.HarmonicCnn(SyntheticSounds.Classes, width: 8)), clips, labels,
            training: false);
        Assert.All(differences, d => Assert.True(d.Value < 1e-3, $"{d.Key}: relative difference {d.Value:e1}"));
    }

    /// <summary>Our model at the fixture's width (8) with the authors' state dict, renamed, in eval mode.</summary>
    private static HarmonicCnnModel AuthorsModel()
    {
        var authors = StateDict.ReadPyTorch(TestPaths.Fixture(FixtureFolder, "harmonic-cnn.pt"));
        var model = new HarmonicCnnModel(BaselineConfigs.HarmonicCnn(35, width: 8));
        StateDict.LoadStrict(model, HarmonicCnnModel.FromAuthorsNames(authors), "harmonic-cnn.pt");
        model.eval();
        return model;
    }

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= tolerance, $"max |difference| {difference:e2} > {tolerance:e0}");
    }
}
