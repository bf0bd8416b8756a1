using static TorchSharp.torch;

namespace TfCrnn.Models;

/// <summary>What a model's forward pass returns.</summary>
/// <param name="Logits">(steps, batch, classes); steps is 1 for the CNN, 9 for the default recurrent models.</param>
/// <param name="Hidden">(batch, hidden): the final GRU state; null for the CNN.</param>
/// <param name="Excitations">Only when requested: per block, the excitation scales (steps, batch, C);
/// empty for Basic blocks.</param>
/// <param name="StepFeatures">Only when requested: the pooled CNN features fed to the GRU (steps, batch, C);
/// for the CNN the globally pooled features (1, batch, C).</param>
public sealed record ModelOutput(
    Tensor Logits,
    Tensor? Hidden,
    IReadOnlyList<Tensor> Excitations,
    Tensor? StepFeatures) : IDisposable
{
    /// <summary>Logits of the last step, (batch, classes): what validation, test and prediction use.</summary>
    public Tensor LastStepLogits => Logits[-1];

    /// <summary>Disposes the output's tensors.</summary>
    public void Dispose()
    {
        Logits.Dispose();
        Hidden?.Dispose();
        foreach (var e in Excitations) e.Dispose();
        StepFeatures?.Dispose();
    }
}

/// <summary>Extra outputs a caller asks the forward pass for (the analyses need them; training does not).</summary>
[Flags]
public enum ForwardExtras
{
    /// <summary>Logits only.</summary>
    None = 0,

    /// <summary>Also the excitation scales of every block.</summary>
    Excitations = 1,

    /// <summary>Also the features each step feeds the GRU.</summary>
    StepFeatures = 2,
}
