using System.Diagnostics;

namespace TfCrnn.Tests.Support;

/// <summary>
/// A tmpfs of a few megabytes mounted for a test, to run out of room in on purpose. Mounting needs root (CI runs as
/// root); where it cannot, <see cref="MountOrSkip"/> skips the test.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private readonly TempDirectory mountPoint = new("small-fs");

    private SmallFileSystem()
    {
    }

    /// <summary>The mounted folder.</summary>
    public string Path => mountPoint.Path;

    private string FillerPath => mountPoint.Combine("filler");

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB, or skips the test (with mount's reason) where this process may not.</summary>
    public static SmallFileSystem MountOrSkip(int megabytes)
    {
        var fileSystem = new SmallFileSystem();
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", fileSystem.Path);
        if (exitCode != 0) fileSystem.mountPoint.Dispose();
        Skip.If(exitCode != 0, $"cannot mount a small tmpfs here (mount: {output.Trim()})");
        return fileSystem;
    }

    /// <summary>Bytes still free.</summary>
    public long Available => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Fills the file system with a filler file until only <paramref name="leftBytes"/> (rounded down to pages) are free.</summary>
    public void Fill(long leftBytes)
    {
        using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[4096];
        while (Available > leftBytes)
            filler.Write(block, 0, (int)Math.Min(block.Length, Available - leftBytes));
    }

    /// <summary>Removes the filler: there is room again.</summary>
    public void Free() => File.Delete(FillerPath);

    public void Dispose()
    {
        Run("umount", "--lazy", Path);
        mountPoint.Dispose();
    }

    private static (int ExitCode, string Output) Run(string program, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
