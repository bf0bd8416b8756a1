using System.Diagnostics;

namespace TfCrnn.Runtime;

/// <summary>
/// Reads a WAV file or stream in chunks, in constant memory: the header first, then whole frames as they arrive. It
/// reads what <c>TfCrnn.Audio.WavFile</c> reads (which is built on it): RIFF little-endian and RIFX big-endian,
/// <see cref="WavFormat"/>'s formats, chunks in any order (a data chunk before the fmt chunk only where the stream can
/// seek), odd-sized chunks with or without their pad byte, trailing junk, and a RIFF or data size beyond the end (what
/// writers that cannot seek back leave: the data is read to the end). A data chunk that ends inside a frame gives its
/// whole frames; <see cref="PartialFrameBytes"/> tells what was left over.
/// </summary>
internal sealed class WavReader
{
    private const int BufferBytes = 1 << 16;

    private readonly Stream stream;
    private readonly string name;
    private readonly bool synchronous;
    private readonly long origin;
    private byte[] buffer;
    private int start;
    private int count;
    // Bytes of the stream consumed so far (from where it stood when opened).
    private long consumed;
    private bool ended;
    // Data bytes not yet decoded (an upper bound where the stream may end sooner).
    private long dataLeft;

    private WavReader(Stream stream, string name, bool synchronous)
    {
        this.stream = stream;
        this.name = name;
        this.synchronous = synchronous;
        origin = stream.CanSeek ? stream.Position : 0;
        buffer = new byte[stream.CanSeek ? (int)Math.Clamp(stream.Length - origin, 64, BufferBytes) : BufferBytes];
    }

    public WavFormat Format { get; private set; }

    /// <summary>How errors name the stream.</summary>
    public string Name => name;

    /// <summary>Whether the stream is a WAV stream (not raw samples).</summary>
    public bool IsWav { get; private set; }

    /// <summary>The bytes of whole frames in the data chunk, where the stream's length is known; null otherwise.</summary>
    public long? DataBytes { get; private set; }

    /// <summary>After the end: the bytes of the last frame that the data ended inside of (0 when it ended on a frame).</summary>
    public int PartialFrameBytes { get; private set; }

    /// <summary>What readers say of a recording that ends inside a frame (a cut-off file or pipe).</summary>
    public static string PartialFrameNote(int partialFrameBytes) =>
        $"the audio ends inside a sample frame ({partialFrameBytes} byte{(partialFrameBytes == 1 ? "" : "s")} left over): " +
        "the whole frames before it are used";

    /// <summary>
    /// Reads the header. A stream that does not start with RIFF or RIFX is an error, unless <paramref name="rawPcmRate"/>
    /// is given: then it is raw 16-bit little-endian mono PCM at that rate.
    /// </summary>
    /// <param name="synchronous">Read with <see cref="Stream.Read(Span{byte})"/>, so that every call completes at once.</param>
    /// <exception cref="AudioFormatException">Not a WAV stream this reader understands.</exception>
    public static async ValueTask<WavReader> OpenAsync(Stream stream, string nameForErrors, int? rawPcmRate, bool synchronous,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new WavReader(stream, nameForErrors, synchronous);
        await reader.ReadHeaderAsync(rawPcmRate, cancellationToken);
        return reader;
    }

    /// <summary><see cref="OpenAsync"/> of a stream read synchronously (a file, or one in memory).</summary>
    public static WavReader Open(Stream stream, string nameForErrors) =>
        Completed(OpenAsync(stream, nameForErrors, rawPcmRate: null, synchronous: true, CancellationToken.None));

    /// <summary>
    /// Decodes the next whole frames into <paramref name="samples"/> (interleaved: [frame · channels + channel]), as
    /// many as have arrived and fit; returns how many frames (0 at the end of the data).
    /// </summary>
    public async ValueTask<int> ReadFramesAsync(Memory<float> samples, CancellationToken cancellationToken = default)
    {
        var frameBytes = Format.BlockAlign;
        var wanted = samples.Length / Format.Channels;
        if (wanted == 0) throw new ArgumentException("room for less than one frame", nameof(samples));
        if (dataLeft == 0) return 0;
        // One read returns what a pipe has now, so that live audio is not held back waiting for a full buffer.
        while (count < frameBytes && count < dataLeft && !ended)
            await FillAsync(cancellationToken);
        var usable = (int)Math.Min(count, dataLeft);
        var frames = Math.Min(usable / frameBytes, wanted);
        if (frames == 0)
        {
            PartialFrameBytes = usable;
            dataLeft = 0;
            return 0;
        }
        Format.Decode(buffer.AsSpan(start, frames * frameBytes), samples.Span);
        Consume(frames * frameBytes);
        dataLeft -= frames * frameBytes;
        return frames;
    }

    /// <summary>Decodes synchronously (a reader opened with <see cref="Open"/>).</summary>
    public int ReadFrames(Memory<float> samples) => Completed(ReadFramesAsync(samples));

    private static T Completed<T>(ValueTask<T> task)
    {
        Debug.Assert(task.IsCompleted, "a synchronous reader's calls complete at once");
        return task.GetAwaiter().GetResult();
    }

    private async ValueTask ReadHeaderAsync(int? rawPcmRate, CancellationToken cancellationToken)
    {
        var have = await EnsureAsync(12, cancellationToken);
        var bigEndian = have >= 4 && Peek(0, 4).SequenceEqual("RIFX"u8);
        var riff = have >= 4 && Peek(0, 4).SequenceEqual("RIFF"u8);
        if (rawPcmRate is { } rate && !riff && !bigEndian)
        {
            Format = WavFormat.RawPcm16(rate);
            dataLeft = long.MaxValue;
            return;
        }
        if (have == 0)
            throw Bad("empty file");
        if (have < 12)
            throw Bad($"truncated header ({have} bytes; a WAV file starts with a 12-byte RIFF header)");
        if (!riff && !bigEndian)
            throw Bad("not a WAV file (no RIFF or RIFX header)");
        if (!Peek(8, 4).SequenceEqual("WAVE"u8))
            throw Bad("not a WAVE file (RIFF form type is not WAVE)");
        IsWav = true;

        // The RIFF size bounds the chunks; streaming writers leave a placeholder, and then the end of the file does.
        var riffSize = WavFormat.ReadUInt32(Peek(4, 4), bigEndian);
        var end = riffSize >= 4 ? riffSize + 8L : long.MaxValue;
        Consume(12);
        WavFormat? format = null;
        (long Start, long Length)? data = null;
        var formatBytes = new byte[WavFormat.FormatBytesRead];
        while (!(format is not null && data is not null) && consumed + 8 <= end && await EnsureAsync(8, cancellationToken) >= 8)
        {
            var id = Peek(0, 4).ToArray();
            var size = WavFormat.ReadUInt32(Peek(4, 4), bigEndian);
            Consume(8);
            var body = consumed;
            // What the chunk can hold before the end: the bytes present are counted as they are read.
            var bounded = Math.Min(size, end - body);
            long present;
            if (id.AsSpan().SequenceEqual("fmt "u8))
            {
                var wanted = (int)Math.Min(bounded, formatBytes.Length);
                Peek(0, Math.Min(await EnsureAsync(wanted, cancellationToken), wanted)).CopyTo(formatBytes);
                present = await SkipAsync(bounded, cancellationToken);
                if (size > present)
                    throw Bad($"truncated header (fmt chunk claims {size} bytes, {present} present)");
                format = WavFormat.Parse(formatBytes, size, bigEndian, name);
            }
            else if (id.AsSpan().SequenceEqual("data"u8))
            {
                data = (body, bounded);
                // The audio follows: read it from here.
                if (format is not null) break;
                // A data chunk before the fmt chunk: come back to it once the format is known.
                if (!stream.CanSeek)
                    throw Bad("the data chunk comes before the fmt chunk, which a stream that cannot seek does not allow (give it as a file)");
                present = await SkipAsync(bounded, cancellationToken);
            }
            else
                present = await SkipAsync(bounded, cancellationToken);
            if (size > present)
                break;
            await SkipPadAsync(size, end, cancellationToken);
        }

        if (format is not { } f)
            throw Bad(data is not null ? "no fmt chunk before the end of the file" : "truncated header (no fmt chunk)");
        if (data is not { } d)
            throw Bad("no data chunk");
        Format = f;
        if (d.Start != consumed) Seek(d.Start);
        dataLeft = d.Length;
        if (stream.CanSeek)
        {
            var length = Math.Min(d.Length, stream.Length - origin - d.Start);
            DataBytes = length - length % f.BlockAlign;
        }
    }

    /// <summary>Chunks are padded to even sizes, but some writers omit the pad byte: follow whichever lands on a chunk id.</summary>
    private async ValueTask SkipPadAsync(uint size, long end, CancellationToken cancellationToken)
    {
        if (size % 2 == 0)
            return;
        var have = await EnsureAsync(5, cancellationToken);
        bool LooksLikeChunkId(int offset)
        {
            if (consumed + offset + 4 > end || offset + 4 > have)
                return false;
            foreach (var b in Peek(offset, 4))
                if (b is < 0x20 or > 0x7E)
                    return false;
            return true;
        }
        if (LooksLikeChunkId(1) || !LooksLikeChunkId(0))
            await SkipAsync(1, cancellationToken);
    }

    private ReadOnlySpan<byte> Peek(int offset, int length) => buffer.AsSpan(start + offset, length);

    private void Consume(int bytes)
    {
        start += bytes;
        count -= bytes;
        consumed += bytes;
    }

    /// <summary>Reads until <paramref name="wanted"/> bytes are buffered or the stream ends; returns the bytes buffered.</summary>
    private async ValueTask<int> EnsureAsync(int wanted, CancellationToken cancellationToken)
    {
        while (count < wanted && !ended)
            await FillAsync(cancellationToken);
        return count;
    }

    /// <summary>One read of the stream into the buffer's free room.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        // Room at the end for at least half a buffer, so that reads stay large.
        if (start > 0 && buffer.Length - (start + count) < buffer.Length / 2)
        {
            Array.Copy(buffer, start, buffer, 0, count);
            start = 0;
        }
        if (start + count == buffer.Length)
            Array.Resize(ref buffer, 2 * buffer.Length);
        var room = buffer.AsMemory(start + count);
        // WaitAsync: a read of a pipe may not watch the token itself.
        var read = synchronous ? stream.Read(room.Span) : await stream.ReadAsync(room, cancellationToken).AsTask().WaitAsync(cancellationToken);
        if (read == 0)
            ended = true;
        count += read;
    }

    /// <summary>Passes over up to <paramref name="bytes"/> bytes (seeking where the stream can); returns how many there were.</summary>
    private async ValueTask<long> SkipAsync(long bytes, CancellationToken cancellationToken)
    {
        var fromBuffer = (int)Math.Min(bytes, count);
        Consume(fromBuffer);
        var left = bytes - fromBuffer;
        if (left == 0)
            return bytes;
        if (stream.CanSeek)
        {
            var target = Math.Min(consumed + left, stream.Length - origin);
            Seek(target);
            return bytes - (consumed + left - target);
        }
        while (left > 0 && !ended)
        {
            start = count = 0;
            await FillAsync(cancellationToken);
            var skipped = (int)Math.Min(left, count);
            Consume(skipped);
            left -= skipped;
        }
        return bytes - left;
    }

    private void Seek(long position)
    {
        stream.Position = origin + position;
        consumed = position;
        start = count = 0;
        ended = false;
    }

    private AudioFormatException Bad(string problem) => new(name, problem);
}
