using System.Text;
using Rekernel.Discovery;

namespace Rekernel.Tests.Planning;

/// <summary>A boot root on tmpfs (files owned by root, mode 0644, directories 0755) removed on dispose.</summary>
public sealed class TempBootTree : IDisposable
{
    public TempBootTree()
    {
        string parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        HostPath = Path.Join(parent, "rekernel-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(HostPath);
        Mode(HostPath, "755");
        Root = new BootRoot(HostPath);
    }

    public string HostPath { get; }
    public BootRoot Root { get; }

    public string Host(string pathInRoot) => Root.ToHost(pathInRoot);

    public TempBootTree Text(string pathInRoot, string content) => Bytes(pathInRoot, Encoding.UTF8.GetBytes(content));

    public TempBootTree Bytes(string pathInRoot, byte[] content)
    {
        string host = Host(pathInRoot);
        string dir = Path.GetDirectoryName(host)!;
        Directory.CreateDirectory(dir);
        for (string d = dir; d.Length > HostPath.Length; d = Path.GetDirectoryName(d)!)
            Mode(d, "755");
        File.WriteAllBytes(host, content);
        Mode(host, "644");
        return this;
    }

    public void Chmod(string pathInRoot, string octal) => Mode(Host(pathInRoot), octal);

    private static void Mode(string hostPath, string octal)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        File.SetUnixFileMode(hostPath, (UnixFileMode)Convert.ToInt32(octal, 8));
    }

    public void Chown(string pathInRoot, int uid)
    {
        using var p = System.Diagnostics.Process.Start("chown", ["-h", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), Host(pathInRoot)]);
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    public void Dispose()
    {
        try { Directory.Delete(HostPath, recursive: true); }
        catch (IOException) { }
    }
}
