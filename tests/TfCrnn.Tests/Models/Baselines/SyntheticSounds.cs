using TfCrnn.Data;
using static TorchSharp.torch;

namespace TfCrnn.Tests.Models.Baselines;

/// <summary>
/// A tiny three-class task for the baselines to learn: a low tone (300 Hz), a high tone (2.5 kHz) and white noise,
/// one second at 16 kHz with random amplitude, phase and a ±10 % frequency jitter, scaled as tfcrnn's models take
/// their input (× <see cref="Preprocessing.InputScale"/>).
/// </summary>
internal static class SyntheticSounds
{
    public const int Classes = 3;

    /// <summary>(count, 1, samples) clips and their labels (count), class i % 3 for clip i.</summary>
    public static (Tensor Clips, Tensor Labels) Batch(int count, Generator generator, int samples = 16_000)
    {
        var clips = new float[count * samples];
        var labels = new long[count];
        using var draws = rand([count, 3], dtype: ScalarType.Float64, generator: generator);
        using var noise = randn([count, samples], generator: generator);
        var u = draws.data<double>().ToArray();
        var n = noise.data<float>().ToArray();
        for (var c = 0; c < count; c++)
        {
            labels[c] = c % Classes;
            var amplitude = 0.05 + 0.25 * u[3 * c];
            var phase = 2 * Math.PI * u[3 * c + 1];
            var hz = (labels[c] == 0 ? 300.0 : 2500.0) * (0.9 + 0.2 * u[3 * c + 2]);
            for (var i = 0; i < samples; i++)
                clips[c * samples + i] = (float)(Preprocessing.InputScale * amplitude * (labels[c] == 2
                    ? 0.5 * n[c * samples + i]
                    : Math.Sin(2 * Math.PI * hz * i / 16_000 + phase)));
        }
        return (tensor(clips, [count, 1, samples]), tensor(labels));
    }
}
