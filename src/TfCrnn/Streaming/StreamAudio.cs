using TfCrnn.Audio;

namespace TfCrnn.Streaming;

/// <summary>A recording as a stream recognizer takes it: mono, at the model's rate, with notes on what was done to it.</summary>
internal static class StreamAudio
{
    /// <summary>Reads any WAV, mixes it down to mono and resamples it to <paramref name="sampleRate"/>.</summary>
    public static (float[] Samples, IReadOnlyList<string> Notes) Read(string path, int sampleRate)
    {
        var audio = WavFile.Read(path);
        var notes = new List<string>();
        if (audio.ChannelCount > 1) notes.Add($"mixed {audio.ChannelCount} channels down to mono");
        if (audio.SampleRate != sampleRate) notes.Add($"resampled from {audio.SampleRate} Hz to {sampleRate} Hz");
        return (Resampler.Resample(audio.MixDown(), audio.SampleRate, sampleRate), notes);
    }
}
