using TfCrnn.Checkpoints;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;
using static TorchSharp.torch;

namespace TfCrnn.Evaluation;

/// <summary>
/// A model as <c>predict</c> and <c>eval</c> use it, on either <see cref="InferenceEngine"/>: its classes and the
/// logits of a batch of clips. TorchSharp runs an <see cref="InferenceModel"/> (BatchNorm folded, the asked precision).
/// </summary>
internal abstract class ClipClassifier : IDisposable
{
    public abstract LabelSet Labels { get; }

    /// <summary>The model variant, e.g. <c>tfcrnn-resse</c>.</summary>
    public abstract string Variant { get; }

    /// <summary>Where input batches should live.</summary>
    public abstract Device Device { get; }

    /// <param name="waveforms">(batch, 1, clip samples), scaled.</param>
    /// <returns>Logits (steps, batch, classes), float32.</returns>
    public abstract Tensor Logits(Tensor waveforms);

    public abstract void Dispose();

    /// <summary>Loads <paramref name="checkpoint"/> on <paramref name="engine"/> (<see cref="InferenceEngines.Resolve"/>).</summary>
    /// <param name="threads">ONNX Runtime intra-op threads (0: one per physical core); TorchSharp's are set by the caller.</param>
    /// <param name="inference">The precision; bfloat16 runs on TorchSharp only.</param>
    public static ClipClassifier Open(string checkpoint, InferenceEngine engine, int threads, InferenceOptions? inference = null)
    {
        inference ??= new InferenceOptions();
        if (InferenceEngines.Resolve(checkpoint, engine, inference.Precision) == InferenceEngine.Torch)
        {
            using var model = CheckpointLocator.LoadModel(checkpoint);
            return Of(model, inference);
        }
        var (graph, name) = OnnxExport.Graph(checkpoint, OnnxMetadata.ClipFile);
        return new OnnxClipClassifier(OnnxClipModel.Load(graph, name, threads));
    }

    /// <summary>A TorchSharp model's current weights (<see cref="InferenceModel.Create"/>); the model itself is left as it is.</summary>
    public static ClipClassifier Of(SpeechCommandModel model, InferenceOptions? inference = null) =>
        Of(InferenceModel.Create(model, inference));

    /// <summary>An <see cref="InferenceModel"/>, which the classifier owns from now on.</summary>
    internal static ClipClassifier Of(InferenceModel model) => new TorchClipClassifier(model);

    private sealed class TorchClipClassifier(InferenceModel model) : ClipClassifier
    {
        public override LabelSet Labels => model.Config.LabelSet;

        public override string Variant => model.Config.Variant;

        public override Device Device => model.Device;

        public override Tensor Logits(Tensor waveforms) => model.Forward(waveforms);

        public override void Dispose() => model.Dispose();
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
