using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace TfCrnn.Training;

/// <summary>One scalar point of a TensorBoard event file.</summary>
public sealed record ScalarEvent(string Tag, long Step, float Value, double WallTime);

/// <summary>
/// TensorBoard event files: TFRecord framing (length, masked CRC32C of the length, data, masked
/// CRC32C of the data) around <c>tensorflow.Event</c> protobufs. Hand-written because only three
/// messages and six fields are involved (Event{wall_time, step, file_version, summary},
/// Summary{value}, Value{tag, simple_value}); generating protobuf code for TensorBoard's whole schema
/// would add a build step for that.
/// </summary>
public static class TensorBoardEvents
{
    private const uint MaskDelta = 0xa282ead8;

    /// <summary>The conventional file name: <c>events.out.tfevents.&lt;seconds&gt;.&lt;host&gt;</c>.</summary>
    public static string FileName(DateTimeOffset time) =>
        $"events.out.tfevents.{time.ToUnixTimeSeconds()}.{Environment.MachineName}";

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

    internal static byte[] Record(ReadOnlySpan<byte> data)
    {
        var record = new byte[12 + data.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), MaskedCrc(record.AsSpan(0, 8)));
        data.CopyTo(record.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), MaskedCrc(data));
        return record;
    }

    // Field numbers of tensorflow/core/util/event.proto and framework/summary.proto.
    internal static byte[] EncodeEvent(double wallTime, long step, string? fileVersion, IEnumerable<(string Tag, float Value)> scalars)
    {
        var e = new ProtoWriter();
        e.Double(1, wallTime);
        e.Varint(2, (ulong)step);
        if (fileVersion is not null) e.Bytes(3, Encoding.UTF8.GetBytes(fileVersion));
        var summary = new ProtoWriter();
        foreach (var (tag, value) in scalars)
        {
            var v = new ProtoWriter();
            v.Bytes(1, Encoding.UTF8.GetBytes(tag));
            v.Float(2, value);
            summary.Bytes(1, v.ToArray());
        }
        var summaryBytes = summary.ToArray();
        if (summaryBytes.Length > 0) e.Bytes(5, summaryBytes);
        return e.ToArray();
    }

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

    private sealed class ProtoWriter
    {
        private readonly MemoryStream stream = new();

        public void Varint(int field, ulong value)
        {
            Key(field, 0);
            RawVarint(value);
        }

        public void Double(int field, double value)
        {
            Key(field, 1);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, value);
            stream.Write(b);
        }

        public void Float(int field, float value)
        {
            Key(field, 5);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, value);
            stream.Write(b);
        }

        public void Bytes(int field, byte[] value)
        {
            Key(field, 2);
            RawVarint((ulong)value.Length);
            stream.Write(value);
        }

        public byte[] ToArray() => stream.ToArray();

        private void Key(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

        private void RawVarint(ulong value)
        {
            while (value >= 0x80)
            {
                stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            stream.WriteByte((byte)value);
        }
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

/// <summary>Appends scalar events to one TensorBoard event file, flushing after every write.</summary>
public sealed class TensorBoardWriter : IDisposable
{
    private readonly FileStream stream;

    /// <summary>Creates a new event file in <paramref name="directory"/> (TensorBoard merges every file of a folder).</summary>
    public TensorBoardWriter(string directory)
    {
        var now = DateTimeOffset.UtcNow;
        Path = System.IO.Path.Combine(directory, TensorBoardEvents.FileName(now));
        for (var n = 1; File.Exists(Path); n++)
            Path = System.IO.Path.Combine(directory, $"{TensorBoardEvents.FileName(now)}.{n}");
        stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Write(TensorBoardEvents.EncodeEvent(now.ToUnixTimeMilliseconds() / 1000.0, 0, "brain.Event:2", []));
    }

    public string Path { get; }

    /// <summary>Writes one event holding the given scalars at <paramref name="step"/>.</summary>
    public void AddScalars(long step, IEnumerable<(string Tag, float Value)> scalars) =>
        Write(TensorBoardEvents.EncodeEvent(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0, step, null, scalars));

    private void Write(byte[] eventBytes)
    {
        stream.Write(TensorBoardEvents.Record(eventBytes));
        stream.Flush();
    }

    public void Dispose() => stream.Dispose();
}
