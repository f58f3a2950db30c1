using Rekernel.Health;

namespace Rekernel.Tests.Health;

/// <summary>What a snapshot reads from a /sys laid out as the kernel lays it out.</summary>
public sealed class HealthProbeTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void QemuGuest_DevicesWithADriver_AreListedByBusAndDevice_UnboundOnesAreNot()
    {
        using var sys = new FakeSys()
            .Device("virtio", "virtio0", "virtio_net")
            .Device("virtio", "virtio1", "virtio_blk")
            .Device("pci", "0000:00:03.0", "virtio-pci")
            .Device("pci", "0000:00:1f.3", null);

        Assert.Equal(
            [new("pci", "0000:00:03.0", "virtio-pci"), new("virtio", "virtio0", "virtio_net"), new("virtio", "virtio1", "virtio_blk")],
            HealthProbe.BoundDevices(sys.Machine.Directory));
    }

    [Fact]
    public void Interfaces_UpWithCarrierOrWithoutCarrierReporting_Count_DownOrConfiguredDownOrLoopbackDoNot()
    {
        using var sys = new FakeSys()
            .Interface("lo", "unknown", "0x9")
            .Interface("eth0", "up", "0x1003")
            .Interface("wg0", "unknown", "0x91")   // WireGuard reports no carrier
            .Interface("eth1", "down", "0x1003")   // up, but the cable is out
            .Interface("ifb0", "down", "0x82");    // never brought up

        Assert.Equal(["eth0", "wg0"], HealthProbe.InterfacesUp(sys.Machine));
    }

    [Fact]
    public void Snapshot_RecordsTheBootTheCrashKernelAndWhatSystemdSaysFailed()
    {
        using var sys = new FakeSys().Device("virtio", "virtio0", "virtio_net").Interface("eth0", "up", "0x1003").CrashKernel(loaded: true);

        HealthSnapshot snapshot = HealthProbe.Take(sys.Machine, "11111111-aaaa-4aaa-8aaa-111111111111", T0, () => ["motd-news.service"]);

        Assert.Equal("11111111-aaaa-4aaa-8aaa-111111111111", snapshot.BootId);
        Assert.Equal(T0, snapshot.TakenAt);
        Assert.Equal([new("virtio", "virtio0", "virtio_net")], snapshot.Devices);
        Assert.Equal(["eth0"], snapshot.InterfacesUp);
        Assert.True(snapshot.CrashKernelLoaded);
        Assert.Equal(["motd-news.service"], snapshot.FailedUnits);
    }

    [Fact]
    public void MachineWithoutKexecCrashSupport_HasNoCrashKernelLoaded()
    {
        using var sys = new FakeSys();
        Assert.False(HealthProbe.Take(sys.Machine, "b", T0, () => null).CrashKernelLoaded);
    }

    [Fact]
    public void SystemctlListUnitsFailed_PlainOutput_GivesTheUnitNames()
    {
        // systemd 252's `systemctl list-units --failed --plain --no-legend --full`.
        const string output = "nginx.service       loaded failed failed A high performance web server and a reverse proxy server\n"
            + "systemd-networkd-wait-online.service loaded failed failed Wait for Network to be Configured\n";
        Assert.Equal(["nginx.service", "systemd-networkd-wait-online.service"], FailedUnits.Parse(output));
        Assert.Empty(FailedUnits.Parse(""));
    }
}
