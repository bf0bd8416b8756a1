using TfCrnn.Runtime;

namespace TfCrnn.Data;

/// <summary>The reference loader's preprocessing (docs/reference-implementation.md, "Data").</summary>
public static class Preprocessing
{
    /// <summary>
    /// The input scale: every sample in [-1, 1] is multiplied by it, 1 / 0.0860 (the reference loader divides by the
    /// global constant 0.0860). The one meaning of "input scale" here, in the ONNX metadata and in the runtime.
    /// </summary>
    public const float InputScale = 1 / 0.0860f;

    /// <summary>One second at 16 kHz: the length of every model input.</summary>
    public const int ClipSamples = 16000;

    /// <summary>Training shift offsets are drawn uniformly from 0..ShiftRange-1.</summary>
    public const int ShiftRange = 160;

    /// <summary>Samples kept by the shift: the clip minus <see cref="ShiftRange"/>.</summary>
    public const int ShiftedSamples = ClipSamples - ShiftRange;

    /// <summary>Multiplies by <see cref="InputScale"/> and centres in 16,000 samples: zero-pad floor(p/2) left, ceil(p/2) right; longer input is cut around its centre.</summary>
    public static float[] Prepare(ReadOnlySpan<float> samples)
    {
        var prepared = new float[ClipSamples];
        Prepare(samples, prepared);
        return prepared;
    }

    /// <summary><see cref="Prepare(ReadOnlySpan{float})"/> into <paramref name="destination"/> (16,000 floats).</summary>
    public static void Prepare(ReadOnlySpan<float> samples, Span<float> destination)
    {
        if (destination.Length != ClipSamples)
            throw new ArgumentException($"destination must hold {ClipSamples} samples", nameof(destination));
        ClipInput.Prepare(samples, destination, InputScale);
    }

    /// <summary>
    /// The training shift: keeps <c>clip[offset, offset + 15,840)</c> and zero-pads 80 samples on each side,
    /// moving the content by <c>80 − offset</c> samples (±80, about ±5 ms).
    /// </summary>
    public static void Shift(ReadOnlySpan<float> clip, Span<float> destination, int offset)
    {
        if (clip.Length != ClipSamples || destination.Length != ClipSamples)
            throw new ArgumentException($"clip and destination must hold {ClipSamples} samples");
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, ShiftRange);
        const int margin = ShiftRange / 2;
        destination[..margin].Clear();
        destination[(ClipSamples - margin)..].Clear();
        clip.Slice(offset, ShiftedSamples).CopyTo(destination[margin..]);
    }
}
