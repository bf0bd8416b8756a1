using TfCrnn.Interop;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;
using static TorchSharp.torch;

namespace TfCrnn.Evaluation;

/// <summary>
/// A model as <c>predict</c> and <c>eval</c> use it, on either <see cref="InferenceEngine"/>: its classes and the
/// logits of a batch of clips.
/// </summary>
public abstract class ClipClassifier : IDisposable
{
    public abstract LabelSet Labels { get; }

    /// <summary>Where input batches should live.</summary>
    public abstract Device Device { get; }

    /// <param name="waveforms">(batch, 1, clip samples), scaled.</param>
    /// <returns>Logits (steps, batch, classes).</returns>
    public abstract Tensor Logits(Tensor waveforms);

    public abstract void Dispose();

    /// <summary>Loads <paramref name="checkpoint"/> on <paramref name="engine"/> (<see cref="InferenceEngines.Resolve"/>).</summary>
    /// <param name="threads">ONNX Runtime intra-op threads (0: one per core); TorchSharp's are set by the caller.</param>
    public static ClipClassifier Open(string checkpoint, InferenceEngine engine, int threads)
    {
        if (InferenceEngines.Resolve(checkpoint, engine) == InferenceEngine.Torch)
            return new TorchClipClassifier(CheckpointLocator.LoadModel(checkpoint), ownsModel: true);
        var (graph, name) = OnnxExport.Graph(checkpoint, OnnxMetadata.ClipFile);
        return new OnnxClipClassifier(OnnxClipModel.Load(graph, name, threads));
    }

    /// <summary>A TorchSharp model in eval mode, which the caller keeps owning.</summary>
    internal static ClipClassifier Of(SpeechCommandModel model) => new TorchClipClassifier(model, ownsModel: false);

    private sealed class TorchClipClassifier(SpeechCommandModel model, bool ownsModel) : ClipClassifier
    {
        public override LabelSet Labels => model.Config.LabelSet;

        public override Device Device => model.Device();

        public override Tensor Logits(Tensor waveforms)
        {
            using var noGrad = no_grad();
            using var output = model.forward(waveforms);
            return output.Logits.detach().clone();
        }

        public override void Dispose()
        {
            if (ownsModel) model.Dispose();
        }
    }

    private sealed class OnnxClipClassifier(OnnxClipModel model) : ClipClassifier
    {
        public override LabelSet Labels => model.Info.Labels;

        public override Device Device => CPU;

        public override Tensor Logits(Tensor waveforms)
        {
            var batch = (int)waveforms.shape[0];
            var logits = model.Logits(waveforms.cpu().contiguous().data<float>().ToArray(), batch);
            return tensor(logits, [model.Steps, batch, Labels.Count]);
        }

        public override void Dispose() => model.Dispose();
    }
}
