using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Data;

/// <summary>One mini-batch on its device; the caller disposes it.</summary>
/// <param name="Waveforms">
/// The model input: (B, 1, 16000) float32 waveforms, scaled and centred (shifted when augmenting); or, for a model over a
/// frozen front end, its features (B, steps, features) (<see cref="BatchLoader.Features"/>).
/// </param>
/// <param name="Labels">(B) int64 class indices.</param>
/// <param name="Clips">The B clips, in batch order.</param>
internal sealed record Batch(Tensor Waveforms, Tensor Labels, IReadOnlyList<Clip> Clips) : IDisposable
{
    public int Size => Clips.Count;

    public void Dispose()
    {
        Waveforms.Dispose();
        Labels.Dispose();
    }
}
