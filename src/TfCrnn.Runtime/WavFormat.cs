using System.Buffers.Binary;

namespace TfCrnn.Runtime;

/// <summary>
/// The sample format of a WAV file's fmt chunk (WAVE_FORMAT_PCM, IEEE_FLOAT and EXTENSIBLE; PCM 8/16/24/32-bit and
/// float 32/64-bit; little-endian RIFF or big-endian RIFX), and the decoding of its samples into [-1, 1].
/// </summary>
/// <param name="Tag">PCM (1) or IEEE float (3), also when the fmt chunk is WAVE_FORMAT_EXTENSIBLE.</param>
/// <param name="BlockAlign">Bytes per frame: one sample of every channel.</param>
internal readonly record struct WavFormat(ushort Tag, int Channels, int SampleRate, int BlockAlign, int BitsPerSample, bool BigEndian)
{
    public const ushort Pcm = 0x0001;
    public const ushort IeeeFloat = 0x0003;
    private const ushort Extensible = 0xFFFE;
    private const int MaxChannels = 64;
    private const int MaxSampleRate = 1_000_000;

    /// <summary>The bytes of a fmt chunk that <see cref="Parse"/> reads: those of WAVE_FORMAT_EXTENSIBLE.</summary>
    public const int FormatBytesRead = 40;

    // The tail shared by every KSDATAFORMAT_SUBTYPE GUID: xxxxxxxx-0000-0010-8000-00aa00389b71.
    private static readonly byte[] SubFormatGuidTail = [0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>16-bit little-endian mono PCM: raw samples from a pipe.</summary>
    public static WavFormat RawPcm16(int sampleRate) => new(Pcm, 1, sampleRate, 2, 16, false);

    /// <summary>Reads a fmt chunk of <paramref name="chunkLength"/> bytes from its first bytes (up to <see cref="FormatBytesRead"/>).</summary>
    /// <exception cref="AudioFormatException">A format this reader does not decode, or an inconsistent one.</exception>
    public static WavFormat Parse(ReadOnlySpan<byte> chunk, long chunkLength, bool bigEndian, string name)
    {
        if (chunkLength < 16)
            throw new AudioFormatException(name, $"truncated header (fmt chunk has {chunkLength} bytes, at least 16 needed)");
        var tag = ReadUInt16(chunk, bigEndian);
        var channels = ReadUInt16(chunk[2..], bigEndian);
        var sampleRate = ReadUInt32(chunk[4..], bigEndian);
        var blockAlign = ReadUInt16(chunk[12..], bigEndian);
        var bits = ReadUInt16(chunk[14..], bigEndian);
        if (tag == Extensible)
        {
            if (chunkLength < 40)
                throw new AudioFormatException(name, $"truncated header (WAVE_FORMAT_EXTENSIBLE fmt chunk has {chunkLength} bytes, 40 needed)");
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
            Pcm => bits is 8 or 16 or 24 or 32,
            IeeeFloat => bits is 32 or 64,
            _ => throw new AudioFormatException(name, $"unsupported codec (format tag 0x{tag:X4}; only PCM and IEEE float are read)"),
        };
        if (!supported)
            throw new AudioFormatException(name, $"unsupported sample size: {bits}-bit {(tag == Pcm ? "PCM" : "float")}");
        if (blockAlign != channels * (bits / 8))
            throw new AudioFormatException(name, $"block align {blockAlign} does not match {channels} channels of {bits} bits");
        return new WavFormat(tag, channels, (int)sampleRate, blockAlign, bits, bigEndian);
    }

    /// <summary>Decodes whole frames: <paramref name="samples"/>[frame · channels + channel] in [-1, 1].</summary>
    public void Decode(ReadOnlySpan<byte> frames, Span<float> samples)
    {
        var bytesPerSample = BitsPerSample / 8;
        var count = frames.Length / bytesPerSample;
        var big = BigEndian;
        switch (Tag, bytesPerSample)
        {
            case (Pcm, 1):
                for (var i = 0; i < count; i++) samples[i] = (frames[i] - 128) / 128f;
                break;
            case (Pcm, 2):
                for (var i = 0; i < count; i++)
                {
                    var b = frames.Slice(2 * i, 2);
                    samples[i] = (big ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b)) / 32768f;
                }
                break;
            case (Pcm, 3):
                for (var i = 0; i < count; i++)
                {
                    var b = frames.Slice(3 * i, 3);
                    var value = big ? (b[0] << 16) | (b[1] << 8) | b[2] : (b[2] << 16) | (b[1] << 8) | b[0];
                    samples[i] = ((value << 8) >> 8) / 8388608f;
                }
                break;
            case (Pcm, _):
                for (var i = 0; i < count; i++)
                {
                    var b = frames.Slice(4 * i, 4);
                    samples[i] = (big ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b)) / 2147483648f;
                }
                break;
            case (_, 4):
                for (var i = 0; i < count; i++)
                {
                    var b = frames.Slice(4 * i, 4);
                    samples[i] = big ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b);
                }
                break;
            default:
                for (var i = 0; i < count; i++)
                {
                    var b = frames.Slice(8 * i, 8);
                    samples[i] = (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b));
                }
                break;
        }
    }

    public static ushort ReadUInt16(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    public static uint ReadUInt32(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
}
