namespace TfCrnn.Tests.Support;

/// <summary>
/// Collects garbage and runs finalizers back to back on a background thread while it lives. An object that becomes
/// unreachable while libtorch still reads its handle (a temporary TorchSharp Scalar, docs/torchsharp-scalars.md) is
/// then finalized during that native call within seconds, where a collection that another thread happens to trigger
/// catches it once in hours (the quickstart's crash).
/// </summary>
internal sealed class GcPressure : IDisposable
{
    private readonly Thread thread;
    private volatile bool stopping;
    private int collections;

    public GcPressure()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "GC pressure" };
        thread.Start();
    }

    /// <summary>Collections forced so far, each followed by the finalizers it queued.</summary>
    public int Collections => Volatile.Read(ref collections);

    private void Run()
    {
        while (!stopping)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref collections);
        }
    }

    public void Dispose()
    {
        stopping = true;
        thread.Join();
    }
}
