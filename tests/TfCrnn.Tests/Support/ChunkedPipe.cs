namespace TfCrnn.Tests.Support;

/// <summary>
/// A pipe over <paramref name="bytes"/>: it cannot seek, and each read hands out at most the next of
/// <paramref name="readSizes"/> bytes (cycled), as a pipe gives what has arrived, so that reads split headers, frames,
/// samples and channels anywhere.
/// </summary>
internal sealed class ChunkedPipe(byte[] bytes, params int[] readSizes) : Stream
{
    private int position;
    private int reads;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var size = Math.Min(Math.Min(buffer.Length, readSizes[reads++ % readSizes.Length]), bytes.Length - position);
        bytes.AsSpan(position, size).CopyTo(buffer);
        position += size;
        return size;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
