using System.IO.MemoryMappedFiles;

namespace TfCrnn.Data;

/// <summary>A whole file memory-mapped read-only, at a fixed address until disposed: the caches' way of reading their files.</summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile file;
    private readonly MemoryMappedViewAccessor view;

    public MappedFile(string path)
    {
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            Start = start + view.PointerOffset;
            Bytes = view.Capacity;
        }
        catch
        {
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>The first byte.</summary>
    public byte* Start { get; }

    /// <summary>The mapped length (the file's, rounded up to a page by some systems).</summary>
    public long Bytes { get; }

    public void Dispose()
    {
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        file.Dispose();
    }
}
