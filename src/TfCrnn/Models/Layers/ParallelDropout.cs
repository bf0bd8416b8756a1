using System.Buffers;
using TorchSharp;
using static TorchSharp.torch;

namespace TfCrnn.Models.Layers;

/// <summary>
/// Inverted dropout, (batch, C, L) → (batch, C, L): in training every element is kept with probability 1 − p and
/// scaled by 1 / (1 − p), else zeroed; in eval the identity. The same layer as <c>nn.Dropout</c>, with a mask drawn
/// on every core: libtorch's CPU Bernoulli sampler runs on one thread where MKL's is not used (non-Intel CPUs), and
/// the residual branches' dropout then took about a tenth of a full-width training step on 2 cores.
/// </summary>
/// <remarks>
/// Each call draws one 64-bit seed from <see cref="Generator"/> (torch's default generator when null), so seeds and
/// saved generator states reproduce the masks; element i is kept when the upper 32 bits of SplitMix64(seed + i) are at
/// least p · 2³², which is independent of the thread count.
/// </remarks>
internal sealed class ParallelDropout : nn.Module<Tensor, Tensor>, IRandomLayer
{
    private const int ChunkElements = 1 << 16;
    private readonly double probability;

    public ParallelDropout(double probability) : base(nameof(ParallelDropout))
    {
        if (probability is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "dropout probability must be in [0, 1)");
        this.probability = probability;
    }

    /// <summary>The generator the masks' seeds come from; null for torch's default one (<see cref="IRandomLayer"/>).</summary>
    public Generator? Generator { get; set; }

    public override Tensor forward(Tensor input)
    {
        if (!training || probability == 0) return input.alias();
        using var mask = KeepMask(input.shape, DrawSeed(), probability, input.device);
        var kept = input.mul(mask);
        using var scale = (1.0 / (1.0 - probability)).ToScalar();
        kept.mul_(scale);
        return kept;
    }

    /// <summary>One uint8 keep flag per element: 1 with probability 1 − <paramref name="probability"/>.</summary>
    internal static Tensor KeepMask(long[] shape, ulong seed, double probability, Device device)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var threshold = (ulong)Math.Ceiling(probability * 4294967296.0);
        var flags = ArrayPool<byte>.Shared.Rent((int)count);
        try
        {
            Parallel.For(0, (int)((count + ChunkElements - 1) / ChunkElements), chunk =>
            {
                var end = Math.Min(count, (chunk + 1L) * ChunkElements);
                for (var i = chunk * (long)ChunkElements; i < end; i++)
                    flags[i] = (SplitMix64(seed + (ulong)i) >> 32) >= threshold ? (byte)1 : (byte)0;
            });
            // A view of the pooled array, copied out at once (the accessor's CopyFrom goes element by element).
            using var view = frombuffer(flags, ScalarType.Byte, count, 0, requires_grad: false);
            using var shaped = view.view(shape);
            return shaped.to(device, copy: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(flags);
        }
    }

    /// <summary>A uniformly random 63-bit seed from <see cref="Generator"/>.</summary>
    private ulong DrawSeed()
    {
        using var draw = randint(0, long.MaxValue, [1], dtype: ScalarType.Int64, generator: Generator);
        return (ulong)draw.item<long>();
    }

    /// <summary>SplitMix64's output function: a well-mixed 64-bit value of a counter.</summary>
    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
