using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Rekernel.Fleet.Etcd;

namespace Rekernel.Tests.Fleet;

/// <summary>
/// A real etcd (Debian's etcd-server, <c>/usr/bin/etcd</c>) on loopback ports with its data in a temporary
/// directory, stopped by its PID: alone, or one member of an <see cref="EtcdCluster"/>. A missing etcd fails the
/// tests with the fix: these tests must never be skipped.
/// </summary>
public sealed class EtcdServer : IDisposable
{
    public const string Executable = "/usr/bin/etcd";
    private readonly string _data = Directory.CreateTempSubdirectory("rekernel-etcd-").FullName;
    private readonly string _name;
    private readonly string _initialCluster;
    private readonly string[] _extra;
    private Process? _process;

    /// <summary>A single-member etcd, started.</summary>
    public EtcdServer(params string[] extraArguments)
        : this("test", FreePort(), FreePort(), null, extraArguments)
    {
        Start();
    }

    /// <summary>A member, not started: <paramref name="initialCluster"/> (null: only this one) names every member's peer URL.</summary>
    internal EtcdServer(string name, int clientPort, int peerPort, string? initialCluster, string[] extraArguments)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: install Debian's etcd-server (make deps installs it) to run the fleet tests.");
        _name = name;
        ClientPort = clientPort;
        PeerPort = peerPort;
        _initialCluster = initialCluster ?? $"{name}={PeerUrl(peerPort)}";
        _extra = extraArguments;
    }

    public int ClientPort { get; }
    public int PeerPort { get; }
    public string Scheme => _extra.Contains("--cert-file") ? "https" : "http";
    public Uri Endpoint => new($"{Scheme}://127.0.0.1:{ClientPort}");

    /// <summary>The client certificate the start-up probe shows when etcd requires one (<c>--client-cert-auth</c>).</summary>
    public X509Certificate2? ProbeCertificate { get; init; }

    public static string PeerUrl(int port) => $"http://127.0.0.1:{port}";

    public EtcdClient Client(EtcdOptions? options = null) =>
        new((options ?? new EtcdOptions { Endpoints = [Endpoint] }) with { Endpoints = options?.Endpoints is { IsDefaultOrEmpty: false } e ? e : [Endpoint] });

    /// <summary>Starts etcd (on its earlier data, after <see cref="Kill"/>) and waits until it answers.</summary>
    public void Start()
    {
        Launch();
        WaitUntilServing();
    }

    /// <summary>Starts the etcd process without waiting: a cluster's members answer only once enough of them run.</summary>
    internal void Launch()
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in (string[])[
            "--name", _name, "--data-dir", _data,
            "--listen-client-urls", Endpoint.GetLeftPart(UriPartial.Authority), "--advertise-client-urls", Endpoint.GetLeftPart(UriPartial.Authority),
            "--listen-peer-urls", PeerUrl(PeerPort), "--initial-advertise-peer-urls", PeerUrl(PeerPort),
            "--initial-cluster", _initialCluster, "--log-level", "error", "--logger", "zap", .. _extra])
            start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
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

    internal void WaitUntilServing()
    {
        var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        if (ProbeCertificate is not null) handler.SslOptions.ClientCertificates = [ProbeCertificate];
        using var http = new HttpClient(handler);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"etcd exited with {_process.ExitCode} on start");
            try
            {
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
