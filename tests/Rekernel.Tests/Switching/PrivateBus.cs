using System.Diagnostics;

namespace Rekernel.Tests.Switching;

/// <summary>A private dbus-daemon for one test, so the D-Bus calls are checked on the real wire protocol.</summary>
public sealed class PrivateBus : IDisposable
{
    private readonly Process _daemon;
    private readonly string _dir = Directory.CreateTempSubdirectory("rekernel-bus-").FullName;

    public PrivateBus()
    {
        var start = new ProcessStartInfo("dbus-daemon") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string a in new[] { "--session", "--nofork", "--nopidfile", "--print-address=1", $"--address=unix:path={_dir}/bus" })
            start.ArgumentList.Add(a);
        _daemon = Process.Start(start)!;
        Address = _daemon.StandardOutput.ReadLine() ?? throw new InvalidOperationException("dbus-daemon printed no address");
    }

    public string Address { get; }

    public void Dispose()
    {
        _daemon.Kill();
        _daemon.WaitForExit();
        _daemon.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
