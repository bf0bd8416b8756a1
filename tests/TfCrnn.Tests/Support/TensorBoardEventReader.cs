using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace TfCrnn.Tests.Support;

/// <summary>One scalar point of a TensorBoard event file.</summary>
internal sealed record ScalarEvent(string Tag, long Step, float Value, double WallTime);

/// <summary>
/// Reads TensorBoard event files independently of the writer (TorchSharp's SummaryWriter), as TensorBoard does:
/// TFRecord framing (length, masked CRC32C of the length, data, masked CRC32C of the data) around
/// <c>tensorflow.Event</c> protobufs, of which only Event{wall_time, step, file_version, summary}, Summary{value}
/// and Value{tag, simple_value} are decoded.
/// </summary>
internal static class TensorBoardEventReader
{
    private const uint MaskDelta = 0xa282ead8;

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>, as TFRecord uses.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    internal static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + MaskDelta;
    }

    /// <summary>Reads every scalar of an event file, checking both CRCs of every record.</summary>
    public static IReadOnlyList<ScalarEvent> ReadScalars(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var result = new List<ScalarEvent>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 12) throw Corrupt(path, offset, "truncated record header");
            var header = bytes.AsSpan(offset, 8);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4)) != MaskedCrc(header))
                throw Corrupt(path, offset, "length CRC mismatch");
            var length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header));
            if (bytes.Length - offset - 12 < length + 4) throw Corrupt(path, offset, "truncated record");
            var data = bytes.AsSpan(offset + 12, length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + length, 4)) != MaskedCrc(data))
                throw Corrupt(path, offset, "data CRC mismatch");
            result.AddRange(DecodeEvent(data));
            offset += 12 + length + 4;
        }
        return result;
    }

    private static TfCrnnException Corrupt(string path, int offset, string problem) =>
        new($"{path}: not a valid TensorBoard event file ({problem} at byte {offset})");


    private static IEnumerable<ScalarEvent> DecodeEvent(ReadOnlySpan<byte> data)
    {
        double wallTime = 0;
        long step = 0;
        var values = new List<(string, float)>();
        foreach (var field in ProtoReader.Fields(data.ToArray()))
        {
            switch (field.Number)
            {
                case 1: wallTime = BitConverter.Int64BitsToDouble((long)field.Fixed); break;
                case 2: step = (long)field.Varint; break;
                case 5:
                    foreach (var value in ProtoReader.Fields(field.Bytes!).Where(f => f.Number == 1))
                    {
                        string tag = "";
                        float? simple = null;
                        foreach (var f in ProtoReader.Fields(value.Bytes!))
                        {
                            if (f.Number == 1) tag = Encoding.UTF8.GetString(f.Bytes!);
                            else if (f.Number == 2) simple = BitConverter.Int32BitsToSingle((int)f.Fixed);
                        }
                        if (simple is float s) values.Add((tag, s));
                    }
                    break;
            }
        }
        return values.Select(v => new ScalarEvent(v.Item1, step, v.Item2, wallTime));
    }

    private readonly record struct ProtoField(int Number, ulong Varint, ulong Fixed, byte[]? Bytes);

    private static class ProtoReader
    {
        public static List<ProtoField> Fields(byte[] data)
        {
            var fields = new List<ProtoField>();
            var i = 0;
            while (i < data.Length)
            {
                var key = ReadVarint(data, ref i);
                var number = (int)(key >> 3);
                switch ((int)(key & 7))
                {
                    case 0: fields.Add(new ProtoField(number, ReadVarint(data, ref i), 0, null)); break;
                    case 1: fields.Add(new ProtoField(number, 0, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(i, 8)), null)); i += 8; break;
                    case 5: fields.Add(new ProtoField(number, 0, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i, 4)), null)); i += 4; break;
                    case 2:
                        var length = checked((int)ReadVarint(data, ref i));
                        fields.Add(new ProtoField(number, 0, 0, data.AsSpan(i, length).ToArray()));
                        i += length;
                        break;
                    default: throw new InvalidDataException($"unsupported protobuf wire type {key & 7}");
                }
            }
            return fields;
        }

        private static ulong ReadVarint(byte[] data, ref int i)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[i++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}
