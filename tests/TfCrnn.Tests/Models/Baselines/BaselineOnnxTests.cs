using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TfCrnn.Data;
using TfCrnn.Models.AttnCrnn;
using TfCrnn.Models.Blocks;
using TfCrnn.Models.HarmonicCnn;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Tests.Interop;
using TfCrnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>The baselines' ONNX clip graphs against the TorchSharp modules they come from, run by ONNX Runtime (CPU).</summary>
public sealed class BaselineOnnxTests
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void TheAttnCrnnClipGraphGivesTheModulesLogits()
    {
        using var scope = NewDisposeScope();
        using var model = Randomised(new AttnCrnnModel(classes: 35), seed: 1);
        AssertGraphReproduces(model, AttnCrnnGraph.Clip(model));
    }

    /// <summary>At width 8; the filters of a Q other than its initial 1.</summary>
    [Fact]
    public void TheHarmonicCnnClipGraphGivesTheModulesLogits()
    {
        using var scope = NewDisposeScope();
        using var model = Randomised(new HarmonicCnnModel(classes: 35, width: 8), seed: 2);
        using (no_grad())
            model.FrontEnd.BandwidthQ.fill_(1.3);
        AssertGraphReproduces(model, HarmonicCnnGraph.Clip(model));
    }

    /// <summary>
    /// <c>scripts/check_onnx.py</c> (the ONNX checker with full_check, Debian's python3-onnx) accepts both graphs.
    /// </summary>
    [SkippableFact]
    public void TheOnnxCheckerAcceptsBothGraphs()
    {
        var python = OnnxExportTests.PythonWithOnnx();
        Skip.If(python is null, "no python3 with the onnx module (Debian's python3-onnx; scripts/install-deps.sh installs it)");
        using var folder = new TempDirectory("baseline-onnx-check");
        using var attnCrnn = new AttnCrnnModel(classes: 35);
        using var harmonicCnn = new HarmonicCnnModel(classes: 35, width: 8);
        string[] files = [folder.Combine("attn-crnn.onnx"), folder.Combine("harmonic-cnn.onnx")];
        File.WriteAllBytes(files[0], Model(AttnCrnnGraph.Clip(attnCrnn)).ToByteArray());
        File.WriteAllBytes(files[1], Model(HarmonicCnnGraph.Clip(harmonicCnn)).ToByteArray());

        var result = ChildProcess.RunAsync(python!, [Path.Combine(TestPaths.RepositoryRoot, "scripts", "check_onnx.py"), .. files])
            .GetAwaiter().GetResult();

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(files.Select(f => $"ok {f}"), result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Eval-mode logits of three noisy clips from the module and from ONNX Runtime on its graph, within 1e-4.</summary>
    private static void AssertGraphReproduces(nn.Module<Tensor, Tensor> model, GraphProto graph)
    {
        var clips = randn([3, 1, 16_000], generator: new Generator(5)).mul_(0.1 * Preprocessing.InputScale);
        Tensor expected;
        using (no_grad())
            expected = model.forward(clips).unsqueeze(0); // (1, batch, classes): the clip contract's one step
        using var session = new InferenceSession(Model(graph).ToByteArray());
        var logits = OnnxExportTests.Run(session, (OnnxMetadata.WaveformInput, clips))[OnnxMetadata.LogitsOutput];
        Assert.Equal(expected.shape, logits.shape);
        var difference = (expected - logits).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"max |difference| {difference:e2} > {Tolerance:e0}");
    }

    /// <summary><paramref name="model"/> in eval mode with random BatchNorm statistics and affine parameters.</summary>
    private static T Randomised<T>(T model, ulong seed) where T : nn.Module
    {
        var generator = new Generator(seed);
        using (no_grad())
        {
            foreach (var norm in model.modules().OfType<BatchNorm>())
            {
                norm.RunningMean.copy_(randn(norm.RunningMean.shape, generator: generator).mul_(0.2));
                norm.RunningVar.copy_(rand(norm.RunningVar.shape, generator: generator).add_(0.5));
                norm.Weight.copy_(rand(norm.Weight.shape, generator: generator).add_(0.5));
                norm.Bias.copy_(randn(norm.Bias.shape, generator: generator).mul_(0.2));
            }
        }
        model.eval();
        return model;
    }

    /// <summary>A model around <paramref name="graph"/> at the exporter's opset and IR version.</summary>
    private static ModelProto Model(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "tfcrnn-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = TfCrnn.Interop.Onnx.OnnxExport.Opset });
        return model;
    }
}
