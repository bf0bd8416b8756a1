using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TfCrnn.Interop;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Models.Paper;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace TfCrnn.Tests.Interop;

/// <summary>The exported ONNX graphs against the TorchSharp models they come from, run by ONNX Runtime (CPU).</summary>
public sealed class OnnxExportTests
{
    private const float Tolerance = 1e-4f;

    /// <summary>
    /// Every model of the registry at its default step, and two paper models at other steps (a 2,400-sample window leaves
    /// 11 steps per clip).
    /// </summary>
    public static TheoryData<string, double?> Variants()
    {
        var variants = new TheoryData<string, double?>();
        foreach (var variant in Exportable) variants.Add(variant, null);
        variants.Add("tfcrnn-resse", 50);
        variants.Add("crnn-se", 75);
        return variants;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void BothGraphsReproduceTheTorchModel(string variant, double? stepMs)
    {
        using var scope = NewDisposeScope();
        using var model = RandomModel(variant, seed: 11, stepMs);
        var (clip, step) = OnnxExport.Build(model);
        var config = model.Config;
        // Samples for the waveform models; a model over a frozen front end takes its features, (batch, steps, 96).
        var overFeatures = config.Model.FrontEnd.Kind == FrontEndKind.Frozen;
        var inputs = randn(config.Model.InputShape(config, 3), generator: new Generator(5)).mul_(3);

        using var noGrad = no_grad();
        var expected = model.forward(inputs).Logits; // (steps, batch, classes)
        using (var session = new InferenceSession(clip.ToByteArray()))
        {
            var logits = Run(session, (overFeatures ? OnnxMetadata.FeaturesInput : OnnxMetadata.WaveformInput, inputs))[OnnxMetadata.LogitsOutput];
            AssertClose(expected, logits);
        }

        using var stepSession = new InferenceSession(step.ToByteArray());
        if (model is IRecurrentModel crnn)
        {
            // Two chained steps from a non-zero state: the state goes out and comes back in.
            var (stepInput, stepInputs) = overFeatures
                ? (OnnxMetadata.FeaturesInput, inputs.transpose(1, 2)) // (batch, 96, steps): step t is select(2, t)
                : (OnnxMetadata.WindowInput, inputs.unfold(2, config.Geometry.Window, config.Geometry.Hop));
            var hidden = randn(3, config.StateSize, generator: new Generator(6)).mul_(0.5);
            var (firstLogits, firstHidden) = crnn.Step(stepInputs.select(2, 0), hidden);
            var (secondLogits, secondHidden) = crnn.Step(stepInputs.select(2, 1), firstHidden);
            var first = Run(stepSession, (stepInput, stepInputs.select(2, 0)), (OnnxMetadata.HiddenInput, hidden));
            var second = Run(stepSession, (stepInput, stepInputs.select(2, 1)),
                (OnnxMetadata.HiddenInput, first[OnnxMetadata.NextHiddenOutput]));
            AssertClose(firstLogits, first[OnnxMetadata.LogitsOutput]);
            AssertClose(firstHidden, first[OnnxMetadata.NextHiddenOutput]);
            AssertClose(secondLogits, second[OnnxMetadata.LogitsOutput]);
            AssertClose(secondHidden, second[OnnxMetadata.NextHiddenOutput]);
        }
        else
        {
            var logits = Run(stepSession, (OnnxMetadata.WindowInput, inputs))[OnnxMetadata.LogitsOutput];
            AssertClose(expected[0], logits);
        }
    }

    /// <summary>Stacked cells of a head over the speech embedding (<c>--head-layers</c>): the state is every cell's, in order.</summary>
    [Theory]
    [InlineData("embedding-tfgru")]
    [InlineData("embedding-gru")]
    public void AStackedHeadsGraphsReproduceIt(string variant)
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.WithTrainedLookingBatchNorms(ModelConfig.For(variant) with { HeadLayers = 3, HiddenSize = 24 }, seed: 12);
        var (clip, step) = OnnxExport.Build(model);
        var features = randn(model.Config.Model.InputShape(model.Config, 2), generator: new Generator(7)).mul_(3);
        using var noGrad = no_grad();
        using (var session = new InferenceSession(clip.ToByteArray()))
            AssertClose(model.forward(features).Logits, Run(session, (OnnxMetadata.FeaturesInput, features))[OnnxMetadata.LogitsOutput]);
        var hidden = randn(2, 3 * 24, generator: new Generator(8));
        var (logits, next) = ((IRecurrentModel)model).Step(features.select(1, 4), hidden);
        using var stepSession = new InferenceSession(step.ToByteArray());
        var onnx = Run(stepSession, (OnnxMetadata.FeaturesInput, features.select(1, 4)), (OnnxMetadata.HiddenInput, hidden));
        AssertClose(logits, onnx[OnnxMetadata.LogitsOutput]);
        AssertClose(next, onnx[OnnxMetadata.NextHiddenOutput]);
    }

    /// <summary>
    /// The clip graph of the authors' weights reproduces the authors' own outputs (the width-16 reference fixtures
    /// in the repository, at the paper's 100 ms step and at 50 ms): logits within 1e-4, and so the same predictions.
    /// </summary>
    [Theory]
    [InlineData("reference-narrow", "cnn-se")]
    [InlineData("reference-narrow", "tfcrnn-resse")]
    [InlineData("reference-step50ms", "tfcrnn-resse")]
    public void TheClipGraphReproducesTheAuthorsReferenceOutputs(string fixtureFolder, string variant)
    {
        using var scope = NewDisposeScope();
        var fixtures = fixtureFolder == "reference-narrow" ? ReferenceFixtures.Narrow : ReferenceFixtures.Step50Ms;
        var config = ModelConfig.For(variant) with { Width = fixtures.Width };
        if (fixtures == ReferenceFixtures.Step50Ms)
            config = config.WithStep(stepMs: 50, windowMs: null);
        using var model = ModelFactory.Create(config);
        PyTorchWeights.Load(model, fixtures.File($"{variant}.pt"));
        model.eval();
        var io = StateDict.ReadPyTorch(fixtures.File($"{variant}.io.pt"));
        var (clip, _) = OnnxExport.Build(model);

        using var session = new InferenceSession(clip.ToByteArray());
        var logits = Run(session, (OnnxMetadata.WaveformInput, io["input"]))[OnnxMetadata.LogitsOutput]; // (steps, batch, classes)
        // The authors' CNN returns (clips, classes); the graph always has a step axis.
        var expected = io["logits"];
        AssertClose(expected.dim() == 2 ? expected.unsqueeze(0) : expected, logits);
    }

    /// <summary>
    /// <c>scripts/check_onnx.py</c> (the ONNX checker with full_check, from Debian's python3-onnx, which
    /// <c>scripts/install-deps.sh</c> installs) accepts both graphs of every variant.
    /// </summary>
    [SkippableFact]
    public void TheOnnxCheckerAcceptsEveryExportedGraph()
    {
        var python = PythonWithOnnx();
        Skip.If(python is null, "no python3 with the onnx module (Debian's python3-onnx; scripts/install-deps.sh installs it)");
        using var folder = new TempDirectory("onnx-check");
        var files = new List<string>();
        foreach (var variant in Exportable)
        {
            using var model = RandomModel(variant, seed: 3);
            var (clip, step) = OnnxExport.Build(model);
            foreach (var (graph, kind) in new[] { (clip, "clip"), (step, "step") })
            {
                files.Add(folder.Combine($"{variant}.{kind}.onnx"));
                File.WriteAllBytes(files[^1], graph.ToByteArray());
            }
        }

        var result = ChildProcess.RunAsync(python!, [Path.Combine(TestPaths.RepositoryRoot, "scripts", "check_onnx.py"), .. files])
            .GetAwaiter().GetResult();

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(files.Select(f => $"ok {f}"), result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Every model of the registry: the heads over the speech embedding export their own graphs, over its features.</summary>
    private static IEnumerable<string> Exportable => ModelRegistry.All.Select(m => m.Name);

    /// <summary>
    /// A width-8 model (where it has a width) with random weights and random BatchNorm statistics (and input
    /// standardisation), so that folding is exercised.
    /// </summary>
    internal static SpeechCommandModel RandomModel(string variant, int seed, double? stepMs = null) =>
        TestModels.WithTrainedLookingBatchNorms(TestModels.Sized(variant, 8).WithStep(stepMs), seed);

    /// <summary>The first python3 that imports onnx: Debian's (a pyenv shim may shadow it on PATH), then PATH's.</summary>
    private static string? PythonWithOnnx() =>
        new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(python =>
        {
            try { return ChildProcess.RunAsync(python, ["-c", "import onnx"]).GetAwaiter().GetResult().ExitCode == 0; }
            catch (System.ComponentModel.Win32Exception) { return false; }
        });

    internal static Dictionary<string, Tensor> Run(InferenceSession session, params (string Name, Tensor Value)[] inputs)
    {
        var values = inputs.Select(i => NamedOnnxValue.CreateFromTensor(i.Name,
            new DenseTensor(i.Value.contiguous().data<float>().ToArray(), [.. i.Value.shape.Select(d => (int)d)]))).ToList();
        using var results = session.Run(values);
        return results.ToDictionary(r => r.Name, r =>
        {
            var t = r.AsTensor<float>();
            return tensor(t.ToArray(), [.. t.Dimensions.ToArray().Select(d => (long)d)]);
        });
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"max |difference| {difference:e2} > {Tolerance:e0}");
    }
}
