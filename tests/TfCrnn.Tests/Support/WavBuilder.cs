using System.Buffers.Binary;
using System.Text;

namespace TfCrnn.Tests.Support;

/// <summary>Builds WAV files byte by byte, including the odd and broken ones the reader must handle.</summary>
internal sealed class WavBuilder
{
    private readonly List<(string Id, byte[] Body)> chunks = [];
    private readonly Dictionary<int, uint> declaredSizes = [];

    public bool BigEndian { get; init; }

    /// <summary>The RIFF size field; null writes the true size.</summary>
    public uint? RiffSize { get; init; }

    /// <summary>Don't pad odd-sized chunks (as some writers do).</summary>
    public bool OmitPadBytes { get; init; }

    public byte[] Trailing { get; init; } = [];

    public WavBuilder Chunk(string id, byte[] body)
    {
        chunks.Add((id, body));
        return this;
    }

    public WavBuilder Format(ushort tag, int channels, int sampleRate, int bits, bool extensible = false, ushort? blockAlign = null)
    {
        var align = blockAlign ?? (ushort)(channels * bits / 8);
        var body = new byte[extensible ? 40 : 16];
        var span = body.AsSpan();
        U16(span, extensible ? (ushort)0xFFFE : tag);
        U16(span[2..], (ushort)channels);
        U32(span[4..], (uint)sampleRate);
        U32(span[8..], (uint)(sampleRate * align));
        U16(span[12..], align);
        U16(span[14..], (ushort)bits);
        if (extensible)
        {
            U16(span[16..], 22);
            U16(span[18..], (ushort)bits);
            U32(span[20..], channels == 1 ? 4u : 3u);
            // KSDATAFORMAT_SUBTYPE_xxx: Data1 = tag, then -0000-0010-8000-00aa00389b71.
            U32(span[24..], tag);
            U16(span[28..], 0);
            U16(span[30..], 0x0010);
            new byte[] { 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }.CopyTo(span[32..]);
        }
        return Chunk("fmt ", body);
    }

    /// <summary>A data chunk of interleaved samples encoded as <paramref name="bits"/>-bit PCM or float.</summary>
    public WavBuilder Data(float[][] channels, int bits, bool isFloat = false, uint? declaredSize = null)
    {
        var bytesPerSample = bits / 8;
        var frames = channels[0].Length;
        var body = new byte[frames * channels.Length * bytesPerSample];
        for (var i = 0; i < frames; i++)
            for (var c = 0; c < channels.Length; c++)
                Encode(body.AsSpan((i * channels.Length + c) * bytesPerSample, bytesPerSample), channels[c][i], bits, isFloat);
        chunks.Add(("data", body));
        if (declaredSize is { } size)
            declaredSizes[chunks.Count - 1] = size;
        return this;
    }

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        stream.Write(Encoding.ASCII.GetBytes(BigEndian ? "RIFX" : "RIFF"));
        stream.Write(new byte[4]);
        stream.Write("WAVE"u8);
        for (var i = 0; i < chunks.Count; i++)
        {
            var (id, body) = chunks[i];
            stream.Write(Encoding.ASCII.GetBytes(id));
            var size = new byte[4];
            U32(size, declaredSizes.GetValueOrDefault(i, (uint)body.Length));
            stream.Write(size);
            stream.Write(body);
            if (body.Length % 2 == 1 && !OmitPadBytes)
                stream.WriteByte(0);
        }
        var riff = new byte[4];
        U32(riff, RiffSize ?? (uint)(stream.Length - 8));
        stream.Write(Trailing);
        var bytes = stream.ToArray();
        riff.CopyTo(bytes, 4);
        return bytes;
    }

    private void Encode(Span<byte> target, float value, int bits, bool isFloat)
    {
        if (isFloat && bits == 32) { var v = BitConverter.SingleToInt32Bits(value); U32(target, (uint)v); return; }
        if (isFloat) { var v = BitConverter.DoubleToInt64Bits(value); if (BigEndian) BinaryPrimitives.WriteInt64BigEndian(target, v); else BinaryPrimitives.WriteInt64LittleEndian(target, v); return; }
        switch (bits)
        {
            case 8: target[0] = (byte)(Math.Round(value * 128) + 128); break;
            case 16: U16(target, (ushort)(short)Math.Round(value * 32768)); break;
            case 24:
                var v24 = (int)Math.Round(value * 8388608);
                var (a, b, c) = ((byte)v24, (byte)(v24 >> 8), (byte)(v24 >> 16));
                if (BigEndian) { target[0] = c; target[1] = b; target[2] = a; } else { target[0] = a; target[1] = b; target[2] = c; }
                break;
            default: U32(target, (uint)(int)Math.Round(value * 2147483648.0)); break;
        }
    }

    private void U16(Span<byte> target, ushort value)
    {
        if (BigEndian) BinaryPrimitives.WriteUInt16BigEndian(target, value);
        else BinaryPrimitives.WriteUInt16LittleEndian(target, value);
    }

    private void U32(Span<byte> target, uint value)
    {
        if (BigEndian) BinaryPrimitives.WriteUInt32BigEndian(target, value);
        else BinaryPrimitives.WriteUInt32LittleEndian(target, value);
    }
}
