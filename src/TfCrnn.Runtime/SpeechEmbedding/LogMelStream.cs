using static TfCrnn.Runtime.SpeechEmbedding.SpeechEmbeddingGeometry;

namespace TfCrnn.Runtime.SpeechEmbedding;

/// <summary>
/// <see cref="LogMelSpectrogram.ComputeBlocks"/> as samples arrive: each block's frames once its samples are all there,
/// the same values as the whole recording gives. Not thread-safe.
/// </summary>
internal sealed class LogMelStream
{
    private readonly float[] pending = new float[BlockSamples];
    private int buffered;

    /// <summary>Blocks computed so far.</summary>
    public long Blocks { get; private set; }

    /// <summary>
    /// Takes <paramref name="samples"/> (in [-1, 1], 16 kHz) and hands each block that they complete to
    /// <paramref name="block"/>: 8 × 32 frame values, row-major, valid during the call.
    /// </summary>
    public void Push(ReadOnlySpan<float> samples, Action<ReadOnlySpan<float>> block)
    {
        Span<float> frames = stackalloc float[BlockFrames * MelBands];
        while (!samples.IsEmpty)
        {
            var taken = Math.Min(samples.Length, BlockSamples - buffered);
            samples[..taken].CopyTo(pending.AsSpan(buffered));
            buffered += taken;
            samples = samples[taken..];
            if (buffered < BlockSamples) break;
            LogMelSpectrogram.Compute(pending, frames);
            Blocks++;
            block(frames);
            // The next block starts one step later: keep the samples it shares with this one.
            pending.AsSpan(StepSamples).CopyTo(pending);
            buffered -= StepSamples;
        }
    }

    /// <summary>Forgets the samples so far: the next sample starts a new recording.</summary>
    public void Reset()
    {
        buffered = 0;
        Blocks = 0;
    }
}
