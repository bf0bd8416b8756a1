using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// A trained model prepared for inference, the form eval, predict and streaming run (training never does): a snapshot of
/// its weights, made by its declaration (<see cref="ModelDeclaration.ForInference"/>), which is the model's eval-mode
/// function (in float32 up to rounding). Large batches run in chunks of <see cref="ChunkClips"/> clips.
/// </summary>
internal abstract class InferenceModel : IDisposable
{
    protected InferenceModel(ModelConfig config, InferencePrecision precision, Device device)
    {
        Config = config;
        Precision = precision;
        Device = device;
    }

    /// <summary>Makes <paramref name="model"/>'s inference form from its current weights (the model itself is left as it is).</summary>
    /// <exception cref="OptionException">The precision cannot run on the model's device (<see cref="InferenceOptions.Validate"/>)
    /// or in this model's inference form (<see cref="ModelDeclaration.InferencePrecisions"/>).</exception>
    public static InferenceModel Create(SpeechCommandModel model, InferenceOptions? options = null)
    {
        options ??= new InferenceOptions();
        CheckPrecision(model.Config.Model, options);
        options.Validate(DeviceOf(model));
        return model.Config.Model.ForInference(model, options);
    }

    /// <summary>
    /// <see cref="Create"/> without the CPU check: bfloat16 emulated where the CPU lacks it, for agreement checks
    /// (the same roundings, several times slower than float32), never for speed.
    /// </summary>
    /// <exception cref="OptionException">The precision is not one of the model's inference form.</exception>
    internal static InferenceModel CreateEmulated(SpeechCommandModel model, InferenceOptions options)
    {
        CheckPrecision(model.Config.Model, options);
        return model.Config.Model.ForInference(model, options);
    }

    private static void CheckPrecision(ModelDeclaration model, InferenceOptions options)
    {
        static string Name(InferencePrecision precision) => InferenceOptions.PrecisionNames[(int)precision];
        if (!model.InferencePrecisions.Contains(options.Precision))
            throw new OptionException("--precision",
                $"{Name(options.Precision)}: {model.Name} runs in {string.Join(" or ", model.InferencePrecisions.Select(Name))} only");
    }

    /// <summary>The device of <paramref name="model"/>'s parameters (the CPU for a model without any).</summary>
    protected static Device DeviceOf(SpeechCommandModel model) => model.parameters().FirstOrDefault()?.device ?? CPU;

    public ModelConfig Config { get; }

    public InferencePrecision Precision { get; }

    public Device Device { get; }

    /// <summary>Clips per chunk of <see cref="Forward"/>.</summary>
    public abstract int ChunkClips { get; }

    /// <summary>Logits of every step, what <see cref="SpeechCommandModel.Forward"/> returns in eval mode.</summary>
    /// <param name="input">(batch, …) float32: what the model's module takes in, scaled samples (batch, 1, samples) for the waveform.</param>
    /// <returns>(steps, batch, classes) float32; steps is 1 for a clip model.</returns>
    public Tensor Forward(Tensor input)
    {
        using var noGrad = no_grad();
        if (input.shape[0] <= ChunkClips) return ForwardChunk(input);
        var chunks = input.split(ChunkClips);
        var logits = new List<Tensor>(chunks.Length);
        try
        {
            foreach (var chunk in chunks)
                using (chunk)
                    logits.Add(ForwardChunk(chunk));
            return cat(logits, 1);
        }
        finally
        {
            foreach (var l in logits) l.Dispose();
        }
    }

    /// <summary><see cref="Forward"/> of at most <see cref="ChunkClips"/> clips, under no_grad.</summary>
    protected abstract Tensor ForwardChunk(Tensor input);

    /// <summary>h(0): zeros (batch, state), float32, on the model's device.</summary>
    public Tensor InitialHidden(long batch) => zeros(batch, Config.StateSize, ScalarType.Float32, Device);

    /// <summary>
    /// One step of a recurrent model (<see cref="IRecurrentModel.Step"/> in eval mode): a step's input and h(t-1) in, the
    /// step's logits and h(t) out (the caller owns both).
    /// </summary>
    /// <param name="input">
    /// (batch, …) float32, one step's input; or (1, …), one input heard by every lane of <paramref name="previousHidden"/>,
    /// which a model may use to run the layers before h(t-1) once, not once a lane.
    /// </param>
    /// <param name="previousHidden">h(t-1), (batch, state) float32.</param>
    /// <returns>Logits (batch, classes) and h(t) (batch, state), float32.</returns>
    /// <exception cref="InvalidOperationException">The model is a clip model, which has no steps.</exception>
    public abstract (Tensor Logits, Tensor Hidden) Step(Tensor input, Tensor previousHidden);

    /// <summary>The exception <see cref="Step"/> throws for a clip model.</summary>
    protected InvalidOperationException NotRecurrent() => new($"{Config.Variant} is not recurrent: it has no steps");

    public abstract void Dispose();
}

/// <summary>
/// The default inference form (<see cref="ModelDeclaration.ForInference"/>): a fresh module of the same configuration with a
/// frozen copy of the weights, in eval mode, run as it is. float32 only.
/// </summary>
internal sealed class EvalModeInferenceModel : InferenceModel
{
    private readonly SpeechCommandModel module;

    /// <param name="options">Float32 (the declaration's <see cref="ModelDeclaration.InferencePrecisions"/>).</param>
    public EvalModeInferenceModel(SpeechCommandModel model, InferenceOptions options)
        : base(model.Config, options.Precision, DeviceOf(model))
    {
        module = model.Config.Model.Create(model.Config);
        using (no_grad())
        {
            var values = model.state_dict();
            foreach (var (name, tensor) in module.state_dict())
                tensor.copy_(values[name]);
        }
        foreach (var parameter in module.parameters()) parameter.requires_grad = false;
        module.to(Device);
        module.eval();
    }

    /// <summary>The caller's batch as it is: the module runs it whole, as in training.</summary>
    public override int ChunkClips => int.MaxValue;

    protected override Tensor ForwardChunk(Tensor input)
    {
        using var output = module.Forward(input, ForwardExtras.None);
        return output.Logits.clone();
    }

    public override (Tensor Logits, Tensor Hidden) Step(Tensor input, Tensor previousHidden)
    {
        if (module is not IRecurrentModel recurrent) throw NotRecurrent();
        using var noGrad = no_grad();
        if (input.shape[0] == previousHidden.shape[0]) return recurrent.Step(input, previousHidden);
        using var lanes = input.expand([previousHidden.shape[0], .. input.shape[1..]]);
        return recurrent.Step(lanes, previousHidden);
    }

    public override void Dispose() => module.Dispose();
}
