using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Rekernel.Fleet.Etcd;

namespace Rekernel.Tests.Fleet;

/// <summary>
/// A real etcd (Debian's etcd-server, <c>/usr/bin/etcd</c>) on loopback ports with its data in a temporary
/// directory, stopped by its PID. A missing etcd fails the tests with the fix: these tests must never be skipped.
/// </summary>
public sealed class EtcdServer : IDisposable
{
    public const string Executable = "/usr/bin/etcd";
    private readonly string _data = Directory.CreateTempSubdirectory("rekernel-etcd-").FullName;
    private readonly int _peerPort = FreePort();
    private readonly string[] _extra;
    private Process? _process;

    public EtcdServer(params string[] extraArguments)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's etcd-server (make deps installs it) to run the fleet tests.");
        _extra = extraArguments;
        ClientPort = FreePort();
        Start();
    }

    public int ClientPort { get; }
    public string Scheme => _extra.Contains("--cert-file") ? "https" : "http";
    public Uri Endpoint => new($"{Scheme}://127.0.0.1:{ClientPort}");

    public EtcdClient Client(EtcdOptions? options = null) =>
        new((options ?? new EtcdOptions { Endpoints = [Endpoint] }) with { Endpoints = options?.Endpoints is { IsDefaultOrEmpty: false } e ? e : [Endpoint] });

    public void Start()
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in (string[])[
            "--name", "test", "--data-dir", _data,
            "--listen-client-urls", $"{Scheme}://127.0.0.1:{ClientPort}", "--advertise-client-urls", $"{Scheme}://127.0.0.1:{ClientPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{_peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{_peerPort}",
            "--initial-cluster", $"test=http://127.0.0.1:{_peerPort}", "--log-level", "error", "--logger", "zap", .. _extra])
            start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitForPort();
    }

    /// <summary>Kills etcd (SIGKILL) and waits for it to exit; its data stays for <see cref="Start"/>.</summary>
    public void Kill()
    {
        if (_process is null) return;
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    private void WaitForPort()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"etcd exited with {_process.ExitCode} on start");
            try
            {
                using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
                var response = http.GetAsync(new Uri(Endpoint, "/health")).GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return;
            }
            catch (HttpRequestException) { }
            Thread.Sleep(100);
        }
        throw new InvalidOperationException($"etcd did not answer on {Endpoint} within 20 s");
    }

    /// <summary>A loopback port nobody listens on now (etcd cannot report the port it bound to 0).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        Directory.Delete(_data, recursive: true);
    }
}
