using Rekernel.Health;
using Rekernel.Journal;
using Rekernel.Operations;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Health;

/// <summary>The snapshot is taken when a kernel is staged and kept in the state directory across the kexec.</summary>
public sealed class HealthStoreTests
{
    private static readonly string PlainDebian = Path.Join(TestPaths.Fixtures, "debian12-plain");

    [Fact]
    public void Load_KeepsASnapshotOfThisBoot_InHealthJson()
    {
        using var sandbox = new SwitchSandbox().RunningDebian();
        new FakeSys(sandbox.MachineDirectory).Device("virtio", "virtio0", "virtio_net").Interface("eth0", "up", "0x1003").CrashKernel(loaded: true);
        MachineServices services = sandbox.ServicesWith(new FakeKexecSystem()) with { FailedUnits = () => ["motd-news.service"] };

        new Load(services, OperationEvents.None).Run(new LoadRequest(new StageRequest { Tree = new Rekernel.Discovery.BootRoot(PlainDebian) }));

        HealthSnapshot snapshot = Assert.IsType<HealthSnapshot>(sandbox.Journal.Health);
        Assert.Equal(sandbox.BootId, snapshot.BootId);
        Assert.Equal(SwitchSandbox.T0, snapshot.TakenAt);
        Assert.Equal([new BoundDevice("virtio", "virtio0", "virtio_net")], snapshot.Devices);
        Assert.Equal(["eth0"], snapshot.InterfacesUp);
        Assert.True(snapshot.CrashKernelLoaded);
        Assert.Equal(["motd-news.service"], snapshot.FailedUnits);
    }

    [Fact]
    public void LoadDryRun_TakesNoSnapshot()
    {
        using var sandbox = new SwitchSandbox().RunningDebian();
        new Load(sandbox.Services, OperationEvents.None).Run(new LoadRequest(new StageRequest { Tree = new Rekernel.Discovery.BootRoot(PlainDebian) }, DryRun: true));
        Assert.Null(sandbox.Journal.Health);
    }

    [Fact]
    public void HealthJson_IsReadBackAsWritten()
    {
        using var dir = new ScratchDirectory();
        var journal = new SwitchJournal(dir.Path);
        var snapshot = new HealthSnapshot
        {
            BootId = "11111111-aaaa-4aaa-8aaa-111111111111",
            TakenAt = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero),
            Devices = [new("pci", "0000:00:03.0", "virtio-pci")],
            InterfacesUp = ["eth0"],
            CrashKernelLoaded = false,
            FailedUnits = null,
        };
        journal.RecordHealth(snapshot);

        HealthSnapshot read = Assert.IsType<HealthSnapshot>(journal.Health);
        Assert.Equal(snapshot.Devices, read.Devices);
        Assert.Equal(snapshot.InterfacesUp, read.InterfacesUp);
        Assert.Equal((snapshot.BootId, snapshot.TakenAt, snapshot.CrashKernelLoaded, snapshot.FailedUnits), (read.BootId, read.TakenAt, read.CrashKernelLoaded, read.FailedUnits));
        Assert.Contains("\"devices\": [", File.ReadAllText(journal.HealthPath));
    }

    [Fact]
    public void CutShortHealthJson_IsReportedAsCorrupt_NamingTheFile()
    {
        using var dir = new ScratchDirectory();
        var journal = new SwitchJournal(dir.Path);
        dir.Write("health.json", "{\"bootId\": \"b\", \"takenAt\": \"2025-06-01T10:00:00Z\", \"devi");

        RekernelException ex = Assert.Throws<RekernelException>(() => journal.Health);
        Assert.Equal(ExitCode.ConfigError, ex.ExitCode);
        Assert.StartsWith($"{journal.HealthPath} is corrupt: it is not a health snapshot (", ex.Message);
    }
}
