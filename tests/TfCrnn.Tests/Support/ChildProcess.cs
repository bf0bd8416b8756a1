using System.Diagnostics;

namespace TfCrnn.Tests.Support;

/// <summary>Child processes of tests never outlive their timeout.</summary>
internal static class ChildProcess
{
    /// <summary>Waits for <paramref name="process"/> to end; past <paramref name="timeout"/> kills it and its children and throws.</summary>
    public static async Task WaitAsync(Process process, TimeSpan timeout, string what)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{what} ran longer than {timeout}: killed");
        }
    }
}
