using TfCrnn.Checkpoints;
using TfCrnn.Interop.Onnx;
using TfCrnn.Models;
using TfCrnn.Runtime;
using TfCrnn.Runtime.Onnx;
using TfCrnn.Runtime.SpeechEmbedding;
using TfCrnn.SpeechEmbedding;
using static TorchSharp.torch;

namespace TfCrnn.Evaluation;

/// <summary>
/// A model as <c>predict</c> and <c>eval</c> use it, on either <see cref="InferenceEngine"/>: its classes and the
/// logits of a batch of clips. TorchSharp runs an <see cref="InferenceModel"/> (BatchNorm folded, the asked precision);
/// for a model over a frozen front end, the clips' features come from that front end first (the speech embedding, through
/// its cache: <see cref="SpeechEmbeddingFrontEnd"/>).
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
    /// <param name="frontEnd">Where a frozen front end finds its encoder and cache (<c>--encoder</c>, <c>--embedding-cache</c>).</param>
    /// <exception cref="TfCrnnException">The model hears the speech embedding and its encoder is not installed (the message names <c>tfcrnn encoder install</c>).</exception>
    public static ClipClassifier Open(string checkpoint, InferenceEngine engine, int threads, InferenceOptions? inference = null,
        FrontEndOptions? frontEnd = null)
    {
        inference ??= new InferenceOptions();
        if (InferenceEngines.Resolve(checkpoint, engine, inference.Precision) == InferenceEngine.Torch)
        {
            using var model = CheckpointLocator.LoadModel(checkpoint);
            return Of(model, inference, frontEnd ?? new FrontEndOptions(Threads: threads));
        }
        var (graph, name) = OnnxExport.Graph(checkpoint, OnnxMetadata.ClipFile);
        var clip = OnnxClipModel.Load(graph, name, threads);
        try
        {
            return new OnnxClipClassifier(clip, OpenFrontEnd(checkpoint, clip, name, frontEnd ?? new FrontEndOptions(Threads: threads)));
        }
        catch
        {
            clip.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The frozen front end an ONNX clip graph takes features from: null for a waveform model; for the speech embedding,
    /// an export folder's own encoder files (checked against the SHA-256 its metadata records), else the installed encoder.
    /// </summary>
    private static SpeechEmbeddingFrontEnd? OpenFrontEnd(string checkpoint, OnnxClipModel clip, string name, FrontEndOptions options)
    {
        switch (clip.FrontEnd)
        {
            case null:
                return null;
            case SpeechEmbeddingGeometry.FrontEndName when InferenceEngines.IsExported(checkpoint):
                SpeechEmbeddingExport.Check(clip.Metadata, checkpoint, name);
                return SpeechEmbeddingFrontEnd.Open(checkpoint, options);
            case SpeechEmbeddingGeometry.FrontEndName:
                return SpeechEmbeddingFrontEnd.Open(options);
            case var other:
                throw new TfCrnnException($"{name}: a model over the '{other}' front end, which this version does not know");
        }
    }

    /// <summary>
    /// A TorchSharp model's current weights (<see cref="InferenceModel.Create"/>); the model itself is left as it is. A model
    /// over a frozen front end opens it (the installed encoder, the per-user embedding cache).
    /// </summary>
    public static ClipClassifier Of(SpeechCommandModel model, InferenceOptions? inference = null) => Of(model, inference, new FrontEndOptions());

    /// <inheritdoc cref="Of(SpeechCommandModel, InferenceOptions?)"/>
    internal static ClipClassifier Of(SpeechCommandModel model, InferenceOptions? inference, FrontEndOptions frontEnd)
    {
        var embedding = model.Config.Model.FrontEnd.Kind == FrontEndKind.Frozen ? SpeechEmbeddingFrontEnd.Open(frontEnd) : null;
        try
        {
            return new TorchClipClassifier(InferenceModel.Create(model, inference), embedding, ownsFrontEnd: true);
        }
        catch
        {
            embedding?.Dispose();
            throw;
        }
    }

    /// <summary>A model over a frozen front end with the front end a caller holds (training's validation), which it does not dispose.</summary>
    internal static ClipClassifier Of(SpeechCommandModel model, SpeechEmbeddingFrontEnd? frontEnd) =>
        new TorchClipClassifier(InferenceModel.Create(model), frontEnd, ownsFrontEnd: false);

    /// <summary>An <see cref="InferenceModel"/> of a waveform model, which the classifier owns from now on.</summary>
    internal static ClipClassifier Of(InferenceModel model) => new TorchClipClassifier(model, frontEnd: null, ownsFrontEnd: false);

    private sealed class TorchClipClassifier : ClipClassifier
    {
        private readonly InferenceModel model;
        private readonly SpeechEmbeddingFrontEnd? frontEnd;
        private readonly bool ownsFrontEnd;

        public TorchClipClassifier(InferenceModel model, SpeechEmbeddingFrontEnd? frontEnd, bool ownsFrontEnd)
        {
            if (model.Config.Model.FrontEnd.Kind == FrontEndKind.Frozen && frontEnd is null)
                throw new ArgumentException($"{model.Config.Variant} needs its {model.Config.Model.FrontEnd.Name} front end", nameof(frontEnd));
            this.model = model;
            this.frontEnd = frontEnd;
            this.ownsFrontEnd = ownsFrontEnd;
        }

        public override LabelSet Labels => model.Config.LabelSet;

        public override string Variant => model.Config.Variant;

        public override Device Device => model.Device;

        public override Tensor Logits(Tensor waveforms)
        {
            if (frontEnd is null) return model.Forward(waveforms);
            var batch = (int)waveforms.shape[0];
            using var cpu = waveforms.cpu().contiguous();
            var embeddings = frontEnd.Embed(cpu.data<float>().ToArray(), batch);
            using var features = tensor(embeddings, model.Config.Model.InputShape(model.Config, batch), device: model.Device);
            return model.Forward(features);
        }

        public override void Dispose()
        {
            model.Dispose();
            if (ownsFrontEnd) frontEnd?.Dispose();
        }
    }

    private sealed class OnnxClipClassifier(OnnxClipModel model, SpeechEmbeddingFrontEnd? frontEnd) : ClipClassifier
    {
        public override LabelSet Labels => model.Info.Labels;

        public override string Variant => model.Info.Variant;

        public override Device Device => CPU;

        public override Tensor Logits(Tensor waveforms)
        {
            var batch = (int)waveforms.shape[0];
            using var cpu = waveforms.cpu().contiguous();
            var input = cpu.data<float>().ToArray();
            var logits = model.Logits(frontEnd is null ? input : frontEnd.Embed(input, batch), batch);
            return tensor(logits, [model.Steps, batch, Labels.Count]);
        }

        public override void Dispose()
        {
            model.Dispose();
            frontEnd?.Dispose();
        }
    }
}
