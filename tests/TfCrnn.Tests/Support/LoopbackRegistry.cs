using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace TfCrnn.Tests.Support;

/// <summary>
/// An npm registry on the loopback interface that serves one package tarball at npm's path
/// (<c>NAME/-/NAME-VERSION.tgz</c>) and 404 for anything else; no network leaves the machine.
/// </summary>
internal sealed class LoopbackRegistry : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly string tarballPath;
    private readonly byte[] tarball;
    private readonly Task serving;
    private int requests;

    public LoopbackRegistry(string name, string version, byte[] tarball)
    {
        this.tarball = tarball;
        tarballPath = $"/{name}/-/{name}-{version}.tgz";
        // A free port: one the system hands out, released just before the listener takes it.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(Url);
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The registry's root URL (what <c>npm_config_registry</c> holds).</summary>
    public string Url { get; }

    /// <summary>Requests served so far.</summary>
    public int Requests => Volatile.Read(ref requests);

    /// <summary>A gzipped tar of <paramref name="files"/> (path in the archive → bytes), as <c>npm pack</c> writes one.</summary>
    public static byte[] Tarball(IReadOnlyDictionary<string, byte[]> files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
            foreach (var (path, bytes) in files)
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(bytes) });
        return output.ToArray();
    }

    /// <summary>npm's integrity string of <paramref name="tarball"/>.</summary>
    public static string Integrity(byte[] tarball) => "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref requests);
            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath == tarballPath)
            {
                response.ContentType = "application/octet-stream";
                response.ContentLength64 = tarball.Length;
                await response.OutputStream.WriteAsync(tarball);
            }
            else
                response.StatusCode = 404;
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(5));
    }
}
