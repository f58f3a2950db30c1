using Rekernel.Health;

namespace Rekernel.Tests.Health;

/// <summary>The snapshot checks after a switch, each named and saying what is missing.</summary>
public sealed class HealthComparisonTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static HealthSnapshot Snapshot(FakeSys sys, IReadOnlyList<string>? failed = null) =>
        HealthProbe.Take(sys.Machine, "boot", T0, () => failed ?? []);

    private static FakeSys QemuGuest() => new FakeSys()
        .Device("virtio", "virtio0", "virtio_net")
        .Device("virtio", "virtio1", "virtio_blk")
        .Device("pci", "0000:00:03.0", "virtio-pci")
        .Interface("eth0", "up", "0x1003");

    [Fact]
    public void GoodSwitch_EveryCheckPasses()
    {
        using FakeSys sys = QemuGuest().CrashKernel(loaded: true);
        HealthSnapshot before = Snapshot(sys, ["motd-news.service"]);

        IReadOnlyList<HealthCheck> checks = HealthComparison.Compare(before, Snapshot(sys, ["motd-news.service"]));

        Assert.Equal(
            [
                new HealthCheck("drivers", true, "all 3 devices that had a driver when the kernel was staged have one"),
                new HealthCheck("network", true, "eth0 is up again"),
                new HealthCheck("kdump", true, "the crash kernel is loaded again"),
                new HealthCheck("units", true, "no unit failed that had not failed before"),
            ],
            checks);
    }

    [Fact]
    public void VirtioNetBlacklisted_DriversCheckNamesVirtio0LostVirtioNet()
    {
        using FakeSys sys = QemuGuest();
        HealthSnapshot before = Snapshot(sys);
        sys.Device("virtio", "virtio0", null);   // module_blacklist=virtio_net

        Assert.Equal(new HealthCheck("drivers", false, "virtio0 on bus virtio lost its driver virtio_net"), HealthComparison.Drivers(before, Snapshot(sys)));
    }

    [Fact]
    public void DeviceGoneAltogether_CountsAsLost_ANewDeviceIsFine()
    {
        using FakeSys sys = QemuGuest();
        HealthSnapshot before = Snapshot(sys);
        sys.Gone("virtio", "virtio1").Device("virtio", "virtio2", "virtio_rng");

        Assert.Equal(new HealthCheck("drivers", false, "virtio1 on bus virtio lost its driver virtio_blk"), HealthComparison.Drivers(before, Snapshot(sys)));
    }

    [Fact]
    public void ManyDevicesLost_FiveAreNamed_TheRestCounted()
    {
        using var sys = new FakeSys();
        for (int i = 0; i < 8; i++) sys.Device("usb", $"1-{i}", "usb");
        HealthSnapshot before = Snapshot(sys);
        for (int i = 0; i < 8; i++) sys.Device("usb", $"1-{i}", null);

        Assert.Equal(
            "1-0 on bus usb lost its driver usb, 1-1 on bus usb lost its driver usb, 1-2 on bus usb lost its driver usb, "
            + "1-3 on bus usb lost its driver usb, 1-4 on bus usb lost its driver usb and 3 more",
            HealthComparison.Drivers(before, Snapshot(sys)).Detail);
    }

    [Fact]
    public void InterfaceThatWasUpIsDown_NetworkCheckNamesIt_AnotherComingUpIsFine()
    {
        using FakeSys sys = QemuGuest().Interface("eth1", "up", "0x1003");
        HealthSnapshot before = Snapshot(sys);
        sys.Interface("eth0", "down", "0x1002").Interface("eth1", "down", "0x1003").Interface("eth2", "up", "0x1003");

        Assert.Equal(new HealthCheck("network", false, "eth0 and eth1 were up when the kernel was staged and are not up now"),
            HealthComparison.Network(before, Snapshot(sys)));
    }

    [Fact]
    public void KdumpNotReArmed_KdumpCheckFails_NoCrashKernelBefore_Passes()
    {
        using FakeSys sys = QemuGuest().CrashKernel(loaded: true);
        HealthSnapshot armed = Snapshot(sys);
        sys.CrashKernel(loaded: false);
        HealthSnapshot after = Snapshot(sys);

        Assert.Equal(new HealthCheck("kdump", false,
            "a crash kernel was loaded when the kernel was staged and none is now (/sys/kernel/kexec_crash_loaded): kdump did not re-arm, check its service (kdump-tools or kdump)"),
            HealthComparison.Kdump(armed, after));
        Assert.Equal(new HealthCheck("kdump", true, "no crash kernel was loaded when the kernel was staged"), HealthComparison.Kdump(after, after));
    }

    [Fact]
    public void UnitFailedOnlyAfterTheSwitch_UnitsCheckNamesIt_OneFailedBeforeTooIsNotBlamed()
    {
        using FakeSys sys = QemuGuest();
        HealthSnapshot before = Snapshot(sys, ["motd-news.service"]);

        Assert.Equal(new HealthCheck("units", false, "nginx.service failed, and had not when the kernel was staged"),
            HealthComparison.Units(before, Snapshot(sys, ["motd-news.service", "nginx.service"])));
    }

    [Fact]
    public void NoSystemdWhenStaged_UnitsAreNotChecked_SystemdUnreachableAfter_Fails()
    {
        using FakeSys sys = QemuGuest();
        HealthSnapshot withoutSystemd = HealthProbe.Take(sys.Machine, "boot", T0, () => null);

        Assert.Equal(new HealthCheck("units", true, "not checked: systemd could not be asked for failed units when the kernel was staged"),
            HealthComparison.Units(withoutSystemd, Snapshot(sys)));
        Assert.Equal(new HealthCheck("units", false,
            "systemd could not be asked for failed units (systemctl list-units --failed --plain --no-legend --full --no-pager failed)"),
            HealthComparison.Units(Snapshot(sys), withoutSystemd));
    }
}
