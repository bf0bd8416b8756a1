namespace TfCrnn.Audio;

/// <summary>Decoded audio: samples in [-1, 1], <c>Channels[c][i]</c>, every channel of equal length.</summary>
public sealed record WavAudio(int SampleRate, float[][] Channels)
{
    /// <summary>
    /// The bytes of a last frame that the data ended inside of, left out (a cut-off recording); 0 when the data ended
    /// on a frame.
    /// </summary>
    public int PartialFrameBytes { get; init; }

    /// <summary>Channels in the file.</summary>
    public int ChannelCount => Channels.Length;

    /// <summary>Samples per channel.</summary>
    public int Length => Channels.Length == 0 ? 0 : Channels[0].Length;

    /// <summary>The first channel, as the Speech Commands loader reads training data (docs/reference-implementation.md, "Data").</summary>
    public float[] FirstChannel() => Channels[0];

    /// <summary>The mean of all channels, for user audio (a stereo recording keeps both sides).</summary>
    public float[] MixDown()
    {
        if (ChannelCount == 1)
            return Channels[0];
        var mixed = new float[Length];
        foreach (var channel in Channels)
            for (var i = 0; i < mixed.Length; i++)
                mixed[i] += channel[i];
        var scale = 1f / ChannelCount;
        for (var i = 0; i < mixed.Length; i++)
            mixed[i] *= scale;
        return mixed;
    }
}
