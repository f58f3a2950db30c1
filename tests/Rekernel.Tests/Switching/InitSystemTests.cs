using Rekernel.Discovery;
using Rekernel.Switching;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Switching;

public sealed class InitSystemTests : IDisposable
{
    private readonly ScratchDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void RunSystemdSystemDirectory_MeansSystemd()
    {
        Directory.CreateDirectory(_root.File("run/systemd/system"));

        Assert.True(InitSystem.IsSystemd(new BootRoot(_root.Path)));
    }

    [Fact]
    public void Pid1CommSystemd_MeansSystemd()
    {
        _root.Write("proc/1/comm", "systemd\n");

        Assert.True(InitSystem.IsSystemd(new BootRoot(_root.Path)));
    }

    [Fact]
    public void BusyboxInit_IsNotSystemd()
    {
        _root.Write("proc/1/comm", "init\n");
        Directory.CreateDirectory(_root.File("run/systemd"));

        Assert.False(InitSystem.IsSystemd(new BootRoot(_root.Path)));
    }
}
