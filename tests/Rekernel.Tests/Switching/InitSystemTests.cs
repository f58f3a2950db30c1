using Rekernel.Tests.Journal;
using Rekernel.Machine;

namespace Rekernel.Tests.Switching;

public sealed class InitSystemTests : IDisposable
{
    private readonly ScratchDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void RunSystemdSystemDirectory_MeansSystemd()
    {
        Directory.CreateDirectory(_root.File("run/systemd/system"));

        Assert.True(new RunningSystem(_root.Path).RunsSystemd);
    }

    [Fact]
    public void Pid1CommSystemd_MeansSystemd()
    {
        _root.Write("proc/1/comm", "systemd\n");

        Assert.True(new RunningSystem(_root.Path).RunsSystemd);
    }

    [Fact]
    public void BusyboxInit_IsNotSystemd()
    {
        _root.Write("proc/1/comm", "init\n");
        Directory.CreateDirectory(_root.File("run/systemd"));

        Assert.False(new RunningSystem(_root.Path).RunsSystemd);
    }
}
