namespace TfCrnn.IO;

/// <summary>
/// Writes that failed for want of room: a full file system, a quota, or a limit on the size of a file
/// (<c>ulimit -f</c>). Not a bug of the program and not fixed by running it again as it is, so front ends report it
/// like bad input: one line naming the file.
/// </summary>
internal static class DiskFull
{
    // The errno values .NET gives as the IOException's HResult on Linux (ENOSPC, EFBIG, EDQUOT) and the Windows
    // HRESULTs ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL.
    private static readonly int[] Codes = [28, 27, 122, unchecked((int)0x80070070), unchecked((int)0x80070027)];

    /// <summary>The out-of-room failure in <paramref name="exception"/> or its inner exceptions; null when there is none.</summary>
    public static IOException? Find(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is IOException io && Codes.Contains(io.HResult))
                return io;
        return null;
    }

    /// <summary>The one-line report: the system's message, which names the file, and what to do.</summary>
    public static string Describe(IOException failure) =>
        $"{failure.Message.TrimEnd('.')}: no room to write it; free some space (a stopped training continues with --resume)";
}
