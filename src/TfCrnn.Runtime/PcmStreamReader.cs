using System.Buffers.Binary;

namespace TfCrnn.Runtime;

/// <summary>
/// Reads 16-bit little-endian PCM from a pipe or file as it arrives: raw mono samples at the expected rate, or a WAV
/// stream (what <c>arecord</c> writes by default), whose header is read first and must describe 16-bit PCM at that
/// rate; its channels are mixed down. A stream that ends inside a sample or a header is an error, after every whole
/// sample before it was returned.
/// </summary>
public sealed class PcmStreamReader
{
    // WAV data sizes from here up are placeholders of writers that cannot seek back (arecord writes 0x7FFFFFFF).
    private const uint UnboundedDataSize = 0x7FFF0000;
    private const int MaxHeaderBytes = 1 << 20;

    private readonly Stream stream;
    private readonly int sampleRate;
    private readonly string name;
    private byte[] bytes = new byte[8192];
    private int pending;
    private int channels = 1;
    private long? dataLeft;
    private bool started;
    private bool ended;

    public PcmStreamReader(Stream stream, int sampleRate, string nameForErrors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        this.stream = stream;
        this.sampleRate = sampleRate;
        name = nameForErrors;
    }

    /// <summary>Whether the input turned out to be a WAV stream rather than raw samples.</summary>
    public bool IsWav { get; private set; }

    /// <summary>Fills <paramref name="samples"/> with the next mono samples in [-1, 1]; returns how many (0 at the end).</summary>
    /// <exception cref="TfCrnnException">A bad WAV header, or the stream ends inside a sample or frame.</exception>
    public async ValueTask<int> ReadAsync(float[] samples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!started)
        {
            started = true;
            await ReadHeaderAsync(cancellationToken);
        }
        var frame = 2 * channels;
        while (pending < frame && !ended)
            await FillAsync(Math.Max(frame, Math.Min(bytes.Length, samples.Length * frame)), cancellationToken);
        var frames = Math.Min(pending / frame, samples.Length);
        if (frames == 0)
        {
            if (pending > 0)
                throw new TfCrnnException($"{name}: the stream ends inside a sample ({pending} bytes left over); " +
                    $"expected 16-bit little-endian PCM, {channels} channel(s)");
            return 0;
        }
        for (var f = 0; f < frames; f++)
        {
            var sum = 0;
            for (var c = 0; c < channels; c++)
                sum += BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(f * frame + 2 * c));
            samples[f] = sum / (32768f * channels);
        }
        Consume(frames * frame);
        return frames;
    }

    /// <summary>Reads until at least <paramref name="wanted"/> bytes are pending or the input (or WAV data) ends.</summary>
    private async ValueTask FillAsync(int wanted, CancellationToken cancellationToken)
    {
        if (bytes.Length < wanted)
            Array.Resize(ref bytes, Math.Max(wanted, 2 * bytes.Length));
        // One read returns what a pipe has now, so that live audio is not held back waiting for a full buffer.
        var room = bytes.Length - pending;
        if (dataLeft is { } left) room = (int)Math.Min(room, left);
        // WaitAsync: a read of a pipe may not watch the token itself.
        var read = room == 0 ? 0 : await stream.ReadAsync(bytes.AsMemory(pending, room), cancellationToken).AsTask().WaitAsync(cancellationToken);
        if (read == 0)
        {
            ended = true;
            return;
        }
        pending += read;
        if (dataLeft is not null) dataLeft -= read;
    }

    private async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (pending < count && !ended)
            await FillAsync(count, cancellationToken);
        return pending >= count;
    }

    private void Consume(int count)
    {
        Array.Copy(bytes, count, bytes, 0, pending - count);
        pending -= count;
    }

    private async ValueTask ReadHeaderAsync(CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(4, cancellationToken) || !bytes.AsSpan(0, 4).SequenceEqual("RIFF"u8))
            return;
        IsWav = true;
        if (!await EnsureAsync(12, cancellationToken))
            throw Bad("the WAV header is truncated");
        if (!bytes.AsSpan(8, 4).SequenceEqual("WAVE"u8))
            throw Bad("a RIFF stream that is not WAVE");
        Consume(12);
        var formatSeen = false;
        var headerBytes = 12L;
        while (true)
        {
            if (!await EnsureAsync(8, cancellationToken))
                throw Bad("the WAV header is truncated (no data chunk)");
            var id = System.Text.Encoding.ASCII.GetString(bytes, 0, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
            Consume(8);
            if (id == "data")
            {
                if (!formatSeen) throw Bad("the data chunk comes before the fmt chunk");
                if (size is > 0 and < UnboundedDataSize) dataLeft = size - Math.Min(size, pending);
                if (dataLeft is not null && pending > size) pending = (int)size;
                return;
            }
            // Chunks are padded to an even size.
            var skip = size + (size & 1);
            headerBytes += 8 + skip;
            if (headerBytes > MaxHeaderBytes)
                throw Bad($"the WAV header is implausibly large ({headerBytes} bytes before the audio)");
            if (!await EnsureAsync((int)skip, cancellationToken))
                throw Bad($"the WAV header is truncated (inside its '{id}' chunk)");
            if (id == "fmt ")
            {
                ReadFormat(bytes.AsSpan(0, (int)size));
                formatSeen = true;
            }
            Consume((int)skip);
        }
    }

    private void ReadFormat(ReadOnlySpan<byte> format)
    {
        if (format.Length < 16) throw Bad("the WAV fmt chunk is too short");
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(format);
        channels = BinaryPrimitives.ReadUInt16LittleEndian(format[2..]);
        var rate = BinaryPrimitives.ReadInt32LittleEndian(format[4..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(format[14..]);
        // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
        if (tag == 0xFFFE && format.Length >= 26) tag = BinaryPrimitives.ReadUInt16LittleEndian(format[24..]);
        if (tag != 1 || bits != 16 || channels is < 1 or > 64)
            throw Bad($"a WAV stream must be 16-bit PCM (this one: format {tag}, {bits} bits, {channels} channels); give a file to convert other formats");
        if (rate != sampleRate)
            throw Bad($"a WAV stream at {rate} Hz; the model needs {sampleRate} Hz (record with -r {sampleRate}, or give a file to resample)");
    }

    private TfCrnnException Bad(string problem) => new($"{name}: {problem}");
}
