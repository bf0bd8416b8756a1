using Onnx;
using TfCrnn.Data;

namespace TfCrnn.Models;

/// <summary>
/// One model of the registry (<see cref="ModelRegistry"/>), declared once: its name, front end, trunk, head, the label
/// task it is trained for by default, its parameter count at the default configuration and, for the paper's Table I, its
/// row. Everything else is derived from it: the training module (<see cref="Create"/>), the inference form
/// (<see cref="ForInference"/>), the ONNX graphs (<see cref="Graphs"/>), the step geometry and the cost. One test over
/// the registry checks every declaration against what it derives (tests/TfCrnn.Tests/Models/ModelRegistryTests.cs);
/// docs/adding-a-model.md says how to add a model.
/// </summary>
public abstract class ModelDeclaration
{
    /// <summary>The name users type (<c>--model</c>) and <c>config.json</c> stores as <c>variant</c>: <c>tfcrnn-resse</c>, ….</summary>
    public abstract string Name { get; }

    /// <summary>What the model hears and where that is computed.</summary>
    public abstract FrontEnd FrontEnd { get; }

    /// <summary>The layers between the front end and the head, in a line: <c>6 TF-Res-SE blocks per 200 ms window</c>.</summary>
    public abstract string Trunk { get; }

    /// <summary>What turns the trunk's features into logits, in a line: <c>GRU cell (256), linear</c>.</summary>
    public abstract string Head { get; }

    /// <summary>The label task <c>train</c> trains it for unless <c>--task</c> says otherwise.</summary>
    public virtual LabelTask Task => LabelTasks.Commands;

    /// <summary>Trainable parameters of <see cref="DefaultConfig"/>; the registry test builds the module and counts them.</summary>
    public abstract long Parameters { get; }

    /// <summary>
    /// Whether the model is stepwise-recurrent: a step takes one step's input and the state h(t-1) and returns the step's
    /// logits and h(t), and streaming feeds it step by step. Otherwise it is a clip model, and streaming slides it over
    /// the last clip of audio every hop.
    /// </summary>
    public abstract bool IsRecurrent { get; }

    /// <summary>
    /// The output modes that train different models, which Table I plans: both for a recurrent model, many-to-one for a
    /// clip model (its one step makes them the same).
    /// </summary>
    public virtual IReadOnlyList<OutputMode> OutputModes =>
        IsRecurrent ? [OutputMode.ManyToOne, OutputMode.ManyToMany] : [OutputMode.ManyToOne];

    /// <summary>The model's rows in the paper's Table I, with the paper's figures; null when it is not in the table.</summary>
    internal virtual TableOneRow? TableOne => null;

    /// <summary>
    /// The hyper-parameters of <see cref="ModelConfig"/> the model has, which <c>train</c>'s <c>--width</c>,
    /// <c>--head-dropout</c> and <c>--residual-dropout</c> may set; the options are refused for a model without them.
    /// </summary>
    internal virtual ModelHyperParameters HyperParameters => ModelHyperParameters.None;

    /// <summary>Whether <see cref="HyperParameters"/> has <paramref name="hyperParameter"/>.</summary>
    internal bool Has(ModelHyperParameters hyperParameter) => (HyperParameters & hyperParameter) == hyperParameter;

    /// <summary>Whether <c>--step-ms</c> and <c>--window-ms</c> set its step (<see cref="ModelConfig.WithStep"/>).</summary>
    public virtual bool HasSettableStep => false;

    /// <summary>
    /// Whether <see cref="ModelConfig.Width"/> sizes the model (<c>--width</c>): the channels of a convolutional trunk
    /// (<see cref="HyperParameters"/> has <see cref="ModelHyperParameters.Width"/>).
    /// </summary>
    public bool HasWidth => Has(ModelHyperParameters.Width);

    /// <summary>
    /// The detection rule's refractory time that suits it in streams (<see cref="Runtime.StepModelInfo.RefractorySeconds"/>,
    /// written into an export's recognizer metadata): about how long one word stays in its view.
    /// </summary>
    public virtual double RefractorySeconds => Runtime.RecognizerOptions.DefaultRefractorySeconds;

    /// <summary>The most GRU cells its head can stack (<see cref="ModelConfig.HeadLayers"/>, <c>--head-layers</c>); 1: one cell, fixed.</summary>
    public virtual int MaxHeadLayers => 1;

    /// <summary>The configuration <c>train --model NAME</c> starts from.</summary>
    public virtual ModelConfig DefaultConfig => new() { Variant = Name };

    /// <summary>The problem <c>--step-ms</c> or <c>--window-ms</c> reports for a model without <see cref="HasSettableStep"/>.</summary>
    internal virtual string FixedStep => $"does not apply to {Name}, whose step is fixed";

    /// <summary>How <paramref name="config"/> steps through audio.</summary>
    internal abstract StepGeometry Geometry(ModelConfig config);

    /// <summary>Floats of state a step takes and returns per clip: h's size (every stacked cell's) for a recurrent model, 0 for a clip model.</summary>
    internal virtual int StateSize(ModelConfig config) => IsRecurrent ? config.HiddenSize * config.HeadLayers : 0;

    /// <summary>Throws <see cref="ModelConfigException"/> when <paramref name="config"/> gives no valid model of this kind.</summary>
    internal virtual void Validate(ModelConfig config) { }

    /// <summary>
    /// Why a step window of <paramref name="window"/> samples gives no valid model, or null; asked only of models with
    /// <see cref="HasSettableStep"/>.
    /// </summary>
    internal virtual string? WindowProblem(ModelConfig config, double window) => null;

    /// <summary>
    /// The shape of what the module takes for <paramref name="batch"/> clips: (batch, 1, clip samples) for a waveform or
    /// trainable front end; a frozen front end's model gives its features' shape, (batch, steps, features).
    /// </summary>
    internal virtual long[] InputShape(ModelConfig config, long batch) => [batch, 1, config.ClipSamples];

    /// <summary>
    /// The shape of one step's input for <paramref name="batch"/> lanes (<see cref="IRecurrentModel.Step"/>): a window
    /// (batch, 1, window) of the waveform; a frozen front end's model gives one step's features, (batch, features).
    /// </summary>
    internal virtual long[] StepInputShape(ModelConfig config, long batch) => [batch, 1, Geometry(config).Window];

    /// <summary>The training module of <paramref name="config"/>, with fresh weights (PyTorch's default initialisation).</summary>
    internal abstract SpeechCommandModel Create(ModelConfig config);

    /// <summary>
    /// The form eval, predict and streaming run: by default a snapshot of the module in eval mode
    /// (<see cref="EvalModeInferenceModel"/>); a model may fold or fuse layers, as the paper's nine fold their BatchNorms.
    /// </summary>
    internal virtual InferenceModel ForInference(SpeechCommandModel model, InferenceOptions options) =>
        new EvalModeInferenceModel(model, options);

    /// <summary>The precisions its inference form runs in (<c>--precision</c>): float32 by default.</summary>
    internal virtual IReadOnlyList<InferencePrecision> InferencePrecisions => [InferencePrecision.Float32];

    /// <summary>
    /// The ONNX graphs of <paramref name="model"/>'s eval-mode function (<see cref="Interop.Onnx.OnnxExport"/> adds the
    /// metadata): the whole clip, <c>waveform</c> (batch, 1, clip samples) → <c>logits</c> (steps, batch, classes); and one
    /// step, <c>window</c> (batch, 1, window) [and <c>hidden</c> h(t-1) (batch, state)] → <c>logits</c> (batch, classes)
    /// [and <c>next_hidden</c> h(t)]. Names: <see cref="Runtime.Onnx.OnnxMetadata"/>.
    /// </summary>
    internal abstract (GraphProto Clip, GraphProto Step) Graphs(SpeechCommandModel model);

    /// <summary>Forward multiply-accumulates per clip of <paramref name="config"/>.</summary>
    internal abstract long Macs(ModelConfig config);

    /// <summary>
    /// Resident memory a training run of <paramref name="config"/> takes per clip of a batch, in MB: what the Slurm
    /// script of <c>table plan</c> sizes each task's memory by (measured on the CPU with /usr/bin/time or the bench).
    /// </summary>
    internal abstract double TrainingMegabytesPerClip(ModelConfig config);

    /// <summary>Convolutional blocks of the trunk, where the model has such a stack (<c>tfcrnn info</c>); null otherwise.</summary>
    internal virtual int? Blocks(ModelConfig config) => null;

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>Hyper-parameters of <see cref="ModelConfig"/> that some models have (<see cref="ModelDeclaration.HyperParameters"/>).</summary>
[Flags]
internal enum ModelHyperParameters
{
    /// <summary>None besides the labels.</summary>
    None = 0,

    /// <summary><see cref="ModelConfig.Width"/>: the channels its layers scale with (<c>--width</c>).</summary>
    Width = 1,

    /// <summary><see cref="ModelConfig.HeadDropout"/>: dropout before the classifier or the GRU cell (<c>--head-dropout</c>).</summary>
    HeadDropout = 2,

    /// <summary><see cref="ModelConfig.ResidualDropout"/>: dropout inside residual branches (<c>--residual-dropout</c>).</summary>
    ResidualDropout = 4,
}

/// <summary>A model's place in the paper's Table I.</summary>
/// <param name="Group">The row group as the paper prints it: <c>CNN</c>, <c>CRNN</c>, <c>TF-CRNN</c>, ….</param>
/// <param name="Block">The block as the paper prints it: <c>Basic</c>, <c>TF-Res-SE</c>, …; empty for a row of its own.</param>
/// <param name="Paper">The paper's test accuracy per output mode it reports (mean and standard deviation over runs, in %).</param>
internal sealed record TableOneRow(string Group, string Block, IReadOnlyList<PaperAccuracy> Paper);

/// <summary>A test accuracy the paper reports for one output mode: mean (std) in %.</summary>
internal sealed record PaperAccuracy(OutputMode Io, double Mean, double? Std);
