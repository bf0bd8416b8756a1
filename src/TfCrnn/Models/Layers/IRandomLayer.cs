using static TorchSharp.torch;

namespace TfCrnn.Models.Layers;

/// <summary>
/// A layer that draws random numbers in training (dropout masks, where a clip is placed): from <see cref="Generator"/>,
/// or torch's default generator when it is null. A training run gives every such layer its own generator
/// (<see cref="SpeechCommandModel.DrawRandomnessFrom"/>), whose state its checkpoints save, so that a resumed run draws
/// what an uninterrupted one would and runs side by side in one process stay reproducible.
/// </summary>
internal interface IRandomLayer
{
    /// <summary>Where the layer draws from; null for torch's default generator.</summary>
    Generator? Generator { get; set; }
}
