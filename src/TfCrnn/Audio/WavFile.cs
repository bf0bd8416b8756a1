using System.Buffers.Binary;
using System.Text;
using TfCrnn.IO;

namespace TfCrnn.Audio;

/// <summary>
/// Reads WAV files (RIFF little-endian and RIFX big-endian; WAVE_FORMAT_PCM, IEEE_FLOAT and EXTENSIBLE;
/// PCM 8/16/24/32-bit and float 32/64-bit; chunks in any order, odd-sized chunks with or without their pad
/// byte, trailing junk) and writes 16-bit PCM. Every allocation is bounded by the bytes actually present,
/// whatever the header claims.
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 0x0001;
    private const ushort FormatIeeeFloat = 0x0003;
    private const ushort FormatExtensible = 0xFFFE;
    private const int MaxChannels = 64;
    private const int MaxSampleRate = 1_000_000;
    // The tail shared by every KSDATAFORMAT_SUBTYPE GUID: xxxxxxxx-0000-0010-8000-00aa00389b71.
    private static readonly byte[] SubFormatGuidTail = [0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Reads a WAV file (PCM 8/16/24/32-bit or float) into samples in [-1, 1].</summary>
    /// <exception cref="AudioFormatException">The file is not a WAV file this reader understands.</exception>
    public static WavAudio Read(string path)
    {
        if (Directory.Exists(path))
            throw new AudioFormatException(path, "is a folder, not a WAV file");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AudioFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : $"cannot be read ({e.Message})");
        }
        return Parse(bytes, path);
    }

    /// <summary>Reads a WAV stream (PCM 8/16/24/32-bit or float) into samples in [-1, 1].</summary>
    /// <param name="nameForErrors">How errors name the stream.</param>
    public static WavAudio Read(Stream stream, string nameForErrors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Parse(ReadAll(stream, nameForErrors), nameForErrors);
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
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], FormatPcm);
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

    private static byte[] ReadAll(Stream stream, string name)
    {
        try
        {
            if (stream.CanSeek)
            {
                var remaining = stream.Length - stream.Position;
                if (remaining > Array.MaxLength)
                    throw new AudioFormatException(name, $"file too large ({remaining} bytes)");
                var buffer = new byte[remaining];
                var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                return read == buffer.Length ? buffer : buffer[..read];
            }
            // Unknown length: grow with the data that actually arrives.
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        catch (IOException e)
        {
            throw new AudioFormatException(name, $"cannot be read ({e.Message})");
        }
    }

    private readonly record struct Format(ushort Tag, int Channels, int SampleRate, int BlockAlign, int BitsPerSample);

    private static WavAudio Parse(ReadOnlySpan<byte> file, string name)
    {
        if (file.Length == 0)
            throw new AudioFormatException(name, "empty file");
        if (file.Length < 12)
            throw new AudioFormatException(name, $"truncated header ({file.Length} bytes; a WAV file starts with a 12-byte RIFF header)");
        var bigEndian = file[..4].SequenceEqual("RIFX"u8);
        if (!bigEndian && !file[..4].SequenceEqual("RIFF"u8))
            throw new AudioFormatException(name, "not a WAV file (no RIFF or RIFX header)");
        if (!file[8..12].SequenceEqual("WAVE"u8))
            throw new AudioFormatException(name, "not a WAVE file (RIFF form type is not WAVE)");

        // The RIFF size bounds the chunks when it is plausible; streaming writers leave a placeholder.
        var riffSize = ReadUInt32(file[4..], bigEndian);
        var end = riffSize >= 4 && riffSize + 8L <= file.Length ? (int)(riffSize + 8) : file.Length;
        Format? format = null;
        ReadOnlySpan<byte> data = default;
        var foundData = false;
        var position = 12;
        while (position + 8 <= end && !(format is not null && foundData))
        {
            var id = file.Slice(position, 4);
            var size = ReadUInt32(file[(position + 4)..], bigEndian);
            var body = position + 8;
            var remaining = end - body;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size > remaining)
                    throw new AudioFormatException(name, $"truncated header (fmt chunk claims {size} bytes, {remaining} present)");
                format = ParseFormat(file.Slice(body, (int)size), bigEndian, name);
            }
            else if (id.SequenceEqual("data"u8))
            {
                // A data size beyond the end is what streaming writers (pipes, espeak-ng --stdout) leave: keep what is there.
                data = file.Slice(body, (int)Math.Min(size, (uint)remaining));
                foundData = true;
            }
            if (size > remaining)
                break;
            position = NextChunk(file, body + (int)size, size, end);
        }

        if (format is not { } f)
            throw new AudioFormatException(name, foundData ? "no fmt chunk before the end of the file" : "truncated header (no fmt chunk)");
        if (!foundData)
            throw new AudioFormatException(name, "no data chunk");
        return Decode(data, f, bigEndian);
    }

    /// <summary>Chunks are padded to even sizes, but some writers omit the pad byte: follow whichever lands on a chunk id.</summary>
    private static int NextChunk(ReadOnlySpan<byte> file, int unpadded, uint size, int end)
    {
        if (size % 2 == 0)
            return unpadded;
        var padded = unpadded + 1;
        return !LooksLikeChunkId(file, padded, end) && LooksLikeChunkId(file, unpadded, end) ? unpadded : padded;
    }

    private static bool LooksLikeChunkId(ReadOnlySpan<byte> file, int position, int end)
    {
        if (position + 4 > end)
            return false;
        foreach (var b in file.Slice(position, 4))
            if (b is < 0x20 or > 0x7E)
                return false;
        return true;
    }

    private static Format ParseFormat(ReadOnlySpan<byte> chunk, bool bigEndian, string name)
    {
        if (chunk.Length < 16)
            throw new AudioFormatException(name, $"truncated header (fmt chunk has {chunk.Length} bytes, at least 16 needed)");
        var tag = ReadUInt16(chunk, bigEndian);
        var channels = ReadUInt16(chunk[2..], bigEndian);
        var sampleRate = ReadUInt32(chunk[4..], bigEndian);
        var blockAlign = ReadUInt16(chunk[12..], bigEndian);
        var bits = ReadUInt16(chunk[14..], bigEndian);
        if (tag == FormatExtensible)
        {
            if (chunk.Length < 40)
                throw new AudioFormatException(name, $"truncated header (WAVE_FORMAT_EXTENSIBLE fmt chunk has {chunk.Length} bytes, 40 needed)");
            if (!chunk[32..40].SequenceEqual(SubFormatGuidTail))
                throw new AudioFormatException(name, "unsupported codec (WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID)");
            var subFormat = ReadUInt32(chunk[24..], bigEndian);
            tag = subFormat <= ushort.MaxValue ? (ushort)subFormat : ushort.MaxValue;
        }

        if (channels == 0)
            throw new AudioFormatException(name, "zero channels");
        if (channels > MaxChannels)
            throw new AudioFormatException(name, $"absurd channel count {channels} (at most {MaxChannels})");
        if (sampleRate is 0 or > MaxSampleRate)
            throw new AudioFormatException(name, $"absurd sample rate {sampleRate} Hz");
        var supported = tag switch
        {
            FormatPcm => bits is 8 or 16 or 24 or 32,
            FormatIeeeFloat => bits is 32 or 64,
            _ => throw new AudioFormatException(name,
                $"unsupported codec (format tag 0x{tag:X4}; only PCM and IEEE float are read)"),
        };
        if (!supported)
            throw new AudioFormatException(name, $"unsupported sample size: {bits}-bit {(tag == FormatPcm ? "PCM" : "float")}");
        if (blockAlign != channels * (bits / 8))
            throw new AudioFormatException(name, $"block align {blockAlign} does not match {channels} channels of {bits} bits");
        return new Format(tag, channels, (int)sampleRate, blockAlign, bits);
    }

    private static WavAudio Decode(ReadOnlySpan<byte> data, Format format, bool bigEndian)
    {
        var frames = data.Length / format.BlockAlign;
        var channels = new float[format.Channels][];
        for (var c = 0; c < channels.Length; c++)
            channels[c] = new float[frames];
        var bytesPerSample = format.BitsPerSample / 8;
        for (var frame = 0; frame < frames; frame++)
        {
            var offset = frame * format.BlockAlign;
            for (var c = 0; c < channels.Length; c++, offset += bytesPerSample)
                channels[c][frame] = DecodeSample(data.Slice(offset, bytesPerSample), format.Tag, bigEndian);
        }
        return new WavAudio(format.SampleRate, channels);
    }

    private static float DecodeSample(ReadOnlySpan<byte> sample, ushort tag, bool bigEndian) => (tag, sample.Length) switch
    {
        (FormatPcm, 1) => (sample[0] - 128) / 128f,
        (FormatPcm, 2) => (bigEndian ? BinaryPrimitives.ReadInt16BigEndian(sample) : BinaryPrimitives.ReadInt16LittleEndian(sample)) / 32768f,
        (FormatPcm, 3) => ReadInt24(sample, bigEndian) / 8388608f,
        (FormatPcm, _) => (bigEndian ? BinaryPrimitives.ReadInt32BigEndian(sample) : BinaryPrimitives.ReadInt32LittleEndian(sample)) / 2147483648f,
        (_, 4) => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(sample) : BinaryPrimitives.ReadSingleLittleEndian(sample),
        _ => (float)(bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(sample) : BinaryPrimitives.ReadDoubleLittleEndian(sample)),
    };

    private static int ReadInt24(ReadOnlySpan<byte> b, bool bigEndian)
    {
        var value = bigEndian ? (b[0] << 16) | (b[1] << 8) | b[2] : (b[2] << 16) | (b[1] << 8) | b[0];
        return (value << 8) >> 8;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private static uint ReadUInt32(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
}
