using System.Buffers.Binary;
using System.Text;
using TfCrnn.IO;
using TfCrnn.Runtime;

namespace TfCrnn.Audio;

/// <summary>
/// Reads WAV files (RIFF little-endian and RIFX big-endian; WAVE_FORMAT_PCM, IEEE_FLOAT and EXTENSIBLE;
/// PCM 8/16/24/32-bit and float 32/64-bit; chunks in any order, odd-sized chunks with or without their pad
/// byte, trailing junk) with the runtime's chunked reader (<see cref="WavReader"/>, which <c>stream</c> reads
/// recordings of any length with), and writes 16-bit PCM. Every allocation is bounded by the bytes actually present,
/// whatever the header claims.
/// </summary>
public static class WavFile
{
    /// <summary>Reads a WAV file (PCM 8/16/24/32-bit or float) into samples in [-1, 1].</summary>
    /// <exception cref="AudioFormatException">The file is not a WAV file this reader understands.</exception>
    public static WavAudio Read(string path)
    {
        using var stream = OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads a WAV stream (PCM 8/16/24/32-bit or float) into samples in [-1, 1].</summary>
    /// <param name="nameForErrors">How errors name the stream.</param>
    public static WavAudio Read(Stream stream, string nameForErrors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            // A stream that cannot seek is held in memory: its data chunk may come before its fmt chunk.
            using var seekable = stream.CanSeek ? null : new MemoryStream();
            if (seekable is not null)
            {
                stream.CopyTo(seekable);
                seekable.Position = 0;
            }
            return Decode(WavReader.Open(seekable ?? stream, nameForErrors));
        }
        catch (IOException e)
        {
            throw new AudioFormatException(nameForErrors, $"cannot be read ({e.Message})");
        }
    }

    /// <summary>Opens a WAV file for reading; the errors name the file.</summary>
    /// <exception cref="AudioFormatException">A folder, a missing file, or one that cannot be read.</exception>
    public static FileStream OpenRead(string path)
    {
        if (Directory.Exists(path))
            throw new AudioFormatException(path, "is a folder, not a WAV file");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot be read ({e.Message})");
        }
    }

    /// <summary>
    /// User audio for a model: any readable WAV, mixed down to mono (so a stereo recording keeps both sides)
    /// and resampled to <paramref name="sampleRate"/>. Training data is read differently: first channel, 16 kHz only.
    /// </summary>
    public static float[] ReadMono(string path, int sampleRate)
    {
        var audio = Read(path);
        return Resampler.Resample(audio.MixDown(), audio.SampleRate, sampleRate);
    }

    /// <summary>Writes mono 16-bit PCM atomically (temp file in the same folder, then rename).</summary>
    public static void WritePcm16(string path, ReadOnlySpan<float> samples, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sampleRate, 0);
        var dataBytes = samples.Length * 2;
        var bytes = new byte[44 + dataBytes];
        var span = bytes.AsSpan();
        Encoding.ASCII.GetBytes("RIFF", span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(36 + dataBytes));
        Encoding.ASCII.GetBytes("WAVEfmt ", span[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], WavFormat.Pcm);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)sampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], 16);
        Encoding.ASCII.GetBytes("data", span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)dataBytes);
        for (var i = 0; i < samples.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + 2 * i)..], ToPcm16(samples[i]));
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The 16-bit code of a sample; reading divides by 32768, so codes round-trip exactly.</summary>
    public static short ToPcm16(float sample) => (short)Math.Clamp(MathF.Round(sample * 32768f), short.MinValue, short.MaxValue);

    private static WavAudio Decode(WavReader reader)
    {
        var format = reader.Format;
        var frameCount = reader.DataBytes!.Value / format.BlockAlign;
        if (frameCount > Array.MaxLength)
            throw new AudioFormatException(reader.Name, $"too long to hold in memory ({frameCount} frames)");
        var frames = (int)frameCount;
        var channels = new float[format.Channels][];
        for (var c = 0; c < channels.Length; c++)
            channels[c] = new float[frames];
        var block = new float[Math.Min(frames, 4096) * format.Channels + format.Channels];
        var frame = 0;
        int read;
        while ((read = reader.ReadFrames(block)) > 0)
            for (var f = 0; f < read; f++, frame++)
                for (var c = 0; c < channels.Length; c++)
                    channels[c][frame] = block[f * channels.Length + c];
        return new WavAudio(format.SampleRate, channels) { PartialFrameBytes = reader.PartialFrameBytes };
    }
}
