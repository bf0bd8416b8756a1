using TfCrnn.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models.HarmonicCnn;

/// <summary>
/// Zero-pads each clip into a longer input, as the HarmonicCNN authors feed keyword spotting (their loader pads every
/// one-second clip into 80,000 samples at a random offset, <c>input_length</c>): in training at an offset drawn per
/// clip, uniform over every placement, from <see cref="Generator"/> (the run's: <see cref="IRandomLayer"/>); in eval centred (floor((N − L) / 2) zeros before the
/// clip), so that a clip's logits are deterministic. (batch, 1, L) → (batch, 1, N), L ≤ N.
/// </summary>
internal sealed class ClipPlacement : nn.Module<Tensor, Tensor>, IRandomLayer
{

    /// <param name="samples">N, the samples of the padded input.</param>
    public ClipPlacement(int samples) : base(nameof(ClipPlacement)) => Samples = samples;

    /// <summary>N, the samples of the padded input.</summary>
    public int Samples { get; }

    /// <summary>Where training draws the offsets from; null for torch's default generator.</summary>
    public Generator? Generator { get; set; }

    /// <param name="input">(batch, 1, L).</param>
    /// <returns>(batch, 1, N).</returns>
    public override Tensor forward(Tensor input)
    {
        var (batch, length) = (input.shape[0], input.shape[^1]);
        if (length > Samples)
            throw new ArgumentException($"a clip of {length} samples does not fit the model's {Samples}-sample input", nameof(input));
        var output = zeros([batch, 1, Samples], input.dtype, input.device);
        if (!training)
        {
            using var centre = output.narrow(2, (Samples - length) / 2, length);
            centre.copy_(input);
            return output;
        }
        using var offsets = randint(0, Samples - length + 1, [batch], dtype: ScalarType.Int64, generator: Generator);
        var starts = offsets.data<long>().ToArray();
        for (var i = 0; i < batch; i++)
        {
            using var lane = output[i];
            using var placed = lane.narrow(1, starts[i], length);
            using var clip = input[i];
            placed.copy_(clip);
        }
        return output;
    }
}
