namespace TfCrnn.Data.Augmentation;

/// <summary>Length-keeping edits on the time axis: a wide shift and zeroed masks.</summary>
internal static class TimeEdits
{
    /// <summary>Moves the content by <paramref name="samples"/> (positive: later), zero-filling; what passes an end is lost.</summary>
    public static void Shift(Span<float> clip, int samples)
    {
        var n = clip.Length;
        if (samples >= n || samples <= -n)
        {
            clip.Clear();
            return;
        }
        if (samples > 0)
        {
            clip[..(n - samples)].CopyTo(clip[samples..]);
            clip[..samples].Clear();
        }
        else if (samples < 0)
        {
            clip[(-samples)..].CopyTo(clip);
            clip[(n + samples)..].Clear();
        }
    }

    /// <summary>Zeroes <paramref name="length"/> samples from <paramref name="start"/> (clamped to the clip).</summary>
    public static void Mask(Span<float> clip, int start, int length)
    {
        var from = Math.Clamp(start, 0, clip.Length);
        var to = Math.Clamp(start + length, from, clip.Length);
        clip[from..to].Clear();
    }
}
