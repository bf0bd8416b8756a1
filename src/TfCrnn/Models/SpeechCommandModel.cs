using TfCrnn.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>
/// Base of every model's training module (<see cref="ModelDeclaration.Create"/>): what its front end hands it in, logits
/// of every step out (<see cref="ModelOutput"/>). Named after its model, with the parameter names of its declaration.
/// </summary>
public abstract class SpeechCommandModel : nn.Module<Tensor, ModelOutput>
{
    /// <summary>A module of <paramref name="config"/>'s model, named after it.</summary>
    /// <exception cref="ModelConfigException">An invalid configuration.</exception>
    protected SpeechCommandModel(ModelConfig config) : base(config.Variant) => Config = config.Validate();

    /// <summary>What the model is: its name, hyper-parameters and labels.</summary>
    public ModelConfig Config { get; }

    /// <summary>Logits of <paramref name="input"/>, without extras.</summary>
    public override ModelOutput forward(Tensor input) => Forward(input, ForwardExtras.None);

    /// <param name="input">
    /// What the model's front end hands the module: (batch, 1, samples) waveforms scaled by
    /// <see cref="Data.Preprocessing.InputScale"/> (1 / 0.0860) for a waveform or trainable front end; (batch, steps,
    /// features) for a frozen one (<see cref="FrontEndKind"/>).
    /// </param>
    /// <param name="extras">Which optional outputs to collect; a model without them returns none.</param>
    public abstract ModelOutput Forward(Tensor input, ForwardExtras extras);

    /// <summary>Draws every dropout mask's seed from <paramref name="generator"/> (null: torch's default generator).</summary>
    public void DrawDropoutFrom(Generator? generator)
    {
        foreach (var dropout in modules().OfType<ParallelDropout>())
            dropout.SeedGenerator = generator;
    }
}

/// <summary>
/// A stepwise-recurrent module (<see cref="ModelDeclaration.IsRecurrent"/>): its forward pass over a clip is
/// <see cref="Step"/> over the clip's steps from <see cref="InitialHidden"/>, and streaming runs it one step at a time.
/// </summary>
internal interface IRecurrentModel
{
    /// <summary>h(0): zeros (batch, state).</summary>
    Tensor InitialHidden(long batch, ScalarType dtype = ScalarType.Float32, Device? device = null);

    /// <summary>One step: the step's input and h(t-1) (batch, state) in, the step's logits (batch, classes) and h(t) out.</summary>
    /// <param name="input">One step's input: a window (batch, 1, window) of scaled samples, or one step's features.</param>
    (Tensor Logits, Tensor Hidden) Step(Tensor input, Tensor previousHidden);
}

/// <summary>
/// A module that standardises its input features per dimension with statistics of the training set, kept in its state
/// dict (the heads over a frozen front end): training sets them once, before the first epoch of a fresh run.
/// </summary>
internal interface IStandardisedInput
{
    /// <summary>Sets the per-dimension mean and deviation the input is standardised with.</summary>
    void Standardise(float[] average, float[] spread);
}
