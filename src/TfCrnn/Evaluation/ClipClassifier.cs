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

    /// <summary>The model variant, e.g. <c>tfcrnn-resse</c>.</summary>
    public abstract string Variant { get; }

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

    /// <summary>A TorchSharp model, which the caller keeps owning, in eval mode until the classifier is disposed.</summary>
    internal static ClipClassifier Of(SpeechCommandModel model) => new TorchClipClassifier(model, ownsModel: false);

    private sealed class TorchClipClassifier : ClipClassifier
    {
        private readonly SpeechCommandModel model;
        private readonly bool ownsModel;
        private readonly bool wasTraining;

        public TorchClipClassifier(SpeechCommandModel model, bool ownsModel)
        {
            this.model = model;
            this.ownsModel = ownsModel;
            wasTraining = model.training;
            model.eval();
        }

        public override LabelSet Labels => model.Config.LabelSet;

        public override string Variant => model.Config.Variant;

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
            else model.train(wasTraining);
        }
    }

    private sealed class OnnxClipClassifier(OnnxClipModel model) : ClipClassifier
    {
        public override LabelSet Labels => model.Info.Labels;

        public override string Variant => model.Info.Variant;

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
