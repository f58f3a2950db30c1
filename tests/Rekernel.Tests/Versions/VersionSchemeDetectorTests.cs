using Rekernel.Discovery;
using Rekernel.Versions;

namespace Rekernel.Tests.Versions;

public sealed class VersionSchemeDetectorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rekernel-scheme-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Touch(string pathInRoot)
    {
        string host = Path.Join(_root, pathInRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(host)!);
        File.WriteAllText(host, "");
    }

    private void MakeDir(string pathInRoot) => Directory.CreateDirectory(Path.Join(_root, pathInRoot));

    private VersionScheme Detect() => VersionSchemeDetector.Detect(new BootRoot(_root));

    [Fact]
    public void Debian_WithDebianVersion_UsesDpkg()
    {
        Touch("/etc/debian_version");
        Assert.Equal(VersionScheme.Dpkg, Detect());
    }

    [Fact]
    public void Ubuntu_WithDpkgStatusOnly_UsesDpkg()
    {
        Touch("/var/lib/dpkg/status");
        Assert.Equal(VersionScheme.Dpkg, Detect());
    }

    [Fact]
    public void Debian_WithRpmInstalledToo_StillUsesDpkg()
    {
        Touch("/etc/debian_version");
        Touch("/var/lib/dpkg/status");
        MakeDir("/var/lib/rpm");
        Assert.Equal(VersionScheme.Dpkg, Detect());
    }

    [Fact]
    public void Fedora_WithDpkgPackageInstalled_UsesRpm()
    {
        Touch("/var/lib/dpkg/status");
        MakeDir("/usr/lib/sysimage/rpm");
        Assert.Equal(VersionScheme.Rpm, Detect());
    }

    [Fact]
    public void Centos7_WithRpmDatabase_UsesRpm()
    {
        MakeDir("/var/lib/rpm");
        Touch("/etc/redhat-release");
        Assert.Equal(VersionScheme.Rpm, Detect());
    }

    [Fact]
    public void Arch_OrUnknownRoot_UsesRpm()
    {
        MakeDir("/var/lib/pacman/local");
        Assert.Equal(VersionScheme.Rpm, Detect());
    }

    [Fact]
    public void DebianVersion_AsAbsoluteSymlink_IsResolvedInsideTheRoot()
    {
        Touch("/usr/share/base-files/debian_version");
        MakeDir("/etc");
        File.CreateSymbolicLink(Path.Join(_root, "etc/debian_version"), "/usr/share/base-files/debian_version");
        Assert.Equal(VersionScheme.Dpkg, Detect());
    }
}
