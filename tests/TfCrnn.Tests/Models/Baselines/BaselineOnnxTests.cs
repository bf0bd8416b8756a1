using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models.HarmonicCnn;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Tests.Interop;
using TfCrnn.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>
/// What the registry-wide ONNX tests (<see cref="OnnxExportTests"/>: both graphs of every model against ONNX Runtime,
/// and the ONNX checker) leave out for the baselines: HarmonicCNN's filters are the trained Q's, written as a constant.
/// </summary>
public sealed class BaselineOnnxTests
{
    private const float Tolerance = 1e-4f;

    /// <summary>At width 8, with a Q other than its initial 1: the clip graph's filters follow it.</summary>
    [Fact]
    public void TheHarmonicCnnClipGraphHasTheFiltersOfTheTrainedQ()
    {
        using var scope = NewDisposeScope();
        using var model = TestModels.WithTrainedLookingBatchNorms(BaselineConfigs.HarmonicCnn(35, width: 8), seed: 2);
        using (no_grad())
            ((HarmonicCnnModel)model).FrontEnd.BandwidthQ.fill_(1.3);
        var clips = randn([3, 1, 16_000], generator: new Generator(5)).mul_(0.1 * TfCrnn.Data.Preprocessing.InputScale);
        Tensor expected;
        using (no_grad())
            expected = model.forward(clips).Logits; // (1, batch, classes): the clip contract's one step
        var (clip, _) = OnnxExport.Build(model);
        using var session = new InferenceSession(clip.ToByteArray());
        var logits = OnnxExportTests.Run(session, (OnnxMetadata.WaveformInput, clips))[OnnxMetadata.LogitsOutput];

        Assert.Equal(expected.shape, logits.shape);
        var difference = (expected - logits).abs().max().item<float>();
        Assert.True(difference <= Tolerance, $"max |difference| {difference:e2} > {Tolerance:e0}");
    }
}
