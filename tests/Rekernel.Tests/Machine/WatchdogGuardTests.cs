using Rekernel.Machine;
using Rekernel.Tests.Health;

namespace Rekernel.Tests.Machine;

/// <summary>
/// Whether a hardware watchdog guards the jump, on /sys trees laid out as the kernels of tests/vm/os/README.md
/// ("Watchdog") lay them out: QEMU's i6300esb, Intel's iTCO, softdog, a BMC's ipmi_watchdog, none at all.
/// </summary>
public sealed class WatchdogGuardTests
{
    private const string DebianCmdline = "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-amd64 root=/dev/vda ro console=ttyS0";

    /// <summary>QEMU's <c>-device i6300esb</c> on Debian's generic kernel: PCI 0000:00:03.0, driver "i6300ESB timer".</summary>
    private static FakeSys QemuI6300esb() => new FakeSys()
        .Device("pci", "0000:00:03.0", "i6300ESB timer")
        .Watchdog("watchdog0", "i6300ESB timer", "inactive", 30, "pci", "0000:00:03.0");

    [Fact]
    public void QemuI6300esb_StoppedAtKexec_NoGuard()
    {
        using FakeSys sys = QemuI6300esb().Module("watchdog", ("stop_on_reboot", "-1")).Cmdline(DebianCmdline);

        WatchdogGuard guard = sys.Machine.Watchdog(immediateJump: false);

        Assert.Equal(new WatchdogGuard("/dev/watchdog0", "i6300ESB timer", false,
            "the watchdog core stops /dev/watchdog0 (i6300ESB timer) when this kernel hands over to kexec; boot with watchdog.stop_on_reboot=0 to keep it counting across the jump.",
            "i6300ESB timer", 30), guard);
    }

    [Fact]
    public void QemuI6300esb_BootedWithStopOnReboot0_GuardsTheGracefulJump()
    {
        using FakeSys sys = QemuI6300esb().Module("watchdog", ("stop_on_reboot", "0")).Cmdline(DebianCmdline + " watchdog.stop_on_reboot=0");

        Assert.Equal(new WatchdogGuard("/dev/watchdog0", "i6300ESB timer", true, null, "i6300ESB timer", 30), sys.Machine.Watchdog(immediateJump: false));
    }

    [Fact]
    public void StopOnReboot0OnTheCommandLine_CountsWhenTheCoreShowsNoParameter()
    {
        using FakeSys sys = QemuI6300esb().Cmdline(DebianCmdline + " watchdog.stop_on_reboot=0");

        Assert.True(sys.Machine.Watchdog(immediateJump: false).Armed);
    }

    [Fact]
    public void StopOnReboot0_ImmediateJump_WatchdogNotRunning_NoGuard()
    {
        using FakeSys sys = QemuI6300esb().Module("watchdog", ("stop_on_reboot", "0")).Cmdline(DebianCmdline);

        WatchdogGuard guard = sys.Machine.Watchdog(immediateJump: true);

        Assert.False(guard.Armed);
        Assert.Equal("/dev/watchdog0 (i6300ESB timer) is not running and an immediate jump does not start it; switch gracefully, where systemd's KExecWatchdogSec= arms it.", guard.Reason);
    }

    [Fact]
    public void IntelTco_RunningUnderAWatchdogDaemon_StopOnReboot0_GuardsEvenAnImmediateJump()
    {
        using FakeSys sys = new FakeSys()
            .Device("platform", "iTCO_wdt", "iTCO_wdt")
            .Watchdog("watchdog0", "iTCO_wdt", "active", 60, "platform", "iTCO_wdt")
            .Module("watchdog", ("stop_on_reboot", "0"));

        Assert.Equal(new WatchdogGuard("/dev/watchdog0", "iTCO_wdt", true, null, "iTCO_wdt", 60), sys.Machine.Watchdog(immediateJump: true));
    }

    [Fact]
    public void Softdog_DiesWithTheOldKernel_EvenWithStopOnReboot0()
    {
        using FakeSys sys = new FakeSys()
            .Watchdog("watchdog0", "Software Watchdog", "active", 60)
            .Module("softdog", ("soft_margin", "60"))
            .Module("watchdog", ("stop_on_reboot", "0"));

        Assert.Equal(new WatchdogGuard("/dev/watchdog0", "softdog", false,
            "softdog is a timer inside the running kernel and dies with it at the jump; only a hardware watchdog can reset a new kernel that hangs.",
            "Software Watchdog", 60), sys.Machine.Watchdog(immediateJump: false));
    }

    [Fact]
    public void IpmiWatchdog_SurvivesTheJump()
    {
        // ipmi_watchdog is a misc device (/dev/watchdog), not in the watchdog class; its reboot notifier keeps the BMC's timer running.
        using FakeSys sys = new FakeSys().Module("ipmi_watchdog", ("timeout", "10"), ("action", "reset")).Cmdline(DebianCmdline);

        Assert.Equal(new WatchdogGuard("/dev/watchdog", "ipmi_watchdog", true, null), sys.Machine.Watchdog(immediateJump: false));
    }

    [Fact]
    public void IpmiWatchdog_ImmediateJump_CannotTellWhetherTheBmcTimerRuns_NoGuard()
    {
        using FakeSys sys = new FakeSys().Module("ipmi_watchdog", ("timeout", "10"));

        WatchdogGuard guard = sys.Machine.Watchdog(immediateJump: true);

        Assert.False(guard.Armed);
        Assert.StartsWith("rekernel cannot tell whether the BMC's ipmi_watchdog timer is running", guard.Reason);
    }

    [Fact]
    public void NoWatchdogDevice_DebianCloudKernel_NoGuard()
    {
        using FakeSys sys = new FakeSys().Module("watchdog", ("stop_on_reboot", "-1")).Cmdline(DebianCmdline);

        Assert.Equal(new WatchdogGuard(null, null, false,
            "no watchdog device (/sys/class/watchdog is empty), so nothing resets a kernel that hangs after the jump; only panic= catches a kernel that panics."),
            sys.Machine.Watchdog(immediateJump: false));
    }

    [Fact]
    public void TwoWatchdogs_TheFirstByNumberIsJudged_AsSystemdArmsWatchdog0()
    {
        using FakeSys sys = new FakeSys()
            .Device("pci", "0000:00:03.0", "i6300ESB timer")
            .Watchdog("watchdog10", "i6300ESB timer", "inactive", 30, "pci", "0000:00:03.0")
            .Watchdog("watchdog2", "Software Watchdog", "inactive", 60);

        Assert.Equal("softdog", sys.Machine.Watchdog(immediateJump: false).Driver);
    }
}
