using Rekernel.Journal;
using Rekernel.Downtime;

namespace Rekernel.Tests.Journal;

/// <summary>Outputs captured from the full-OS lab guest (Debian 12, systemd 252) after a rekernel switch.</summary>
public sealed class SystemdAnalyzeParserTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(TestPaths.Fixtures, "debian12-os", name));

    [Fact]
    public void Debian12_AfterKexec_KernelAndUserspaceUntilGraphicalTarget()
    {
        StartupTimes t = SystemdAnalyzeParser.Startup(Fixture("systemd-analyze-time.txt"))!;
        Assert.Equal(14.710, t.Kernel, 3);
        Assert.Equal(43.575, t.Userspace, 3);
        Assert.Equal(58.285, t.Total, 3);
        Assert.Null(t.Initrd);
        Assert.Null(t.Firmware);
        Assert.Equal("graphical.target", t.Target);
        Assert.Equal(42.317, t.UserspaceUntilTarget, 3);
        Assert.Equal(14.710, t.KernelUntilInit, 3);
    }

    [Fact]
    public void UefiBootWithInitrd_EveryPhaseIsRead()
    {
        const string output = "Startup finished in 7.021s (firmware) + 3.004s (loader) + 1.234s (kernel) + 2.5s (initrd) + 1min 3.100s (userspace) = 1min 16.859s \n"
            + "multi-user.target reached after 58.2s in userspace.\n";
        StartupTimes t = SystemdAnalyzeParser.Startup(output)!;
        Assert.Equal(7.021, t.Firmware!.Value, 3);
        Assert.Equal(3.004, t.Loader!.Value, 3);
        Assert.Equal(2.5, t.Initrd!.Value, 3);
        Assert.Equal(63.1, t.Userspace, 3);
        Assert.Equal(76.859, t.Total, 3);
        Assert.Equal(3.734, t.KernelUntilInit, 3);
        Assert.Equal("multi-user.target", t.Target);
        Assert.Equal(58.2, t.UserspaceUntilTarget, 3);
    }

    [Fact]
    public void BootNotFinished_HasNoStartupTimes() =>
        Assert.Null(SystemdAnalyzeParser.Startup("Bootup is not yet finished (org.freedesktop.systemd1.Manager.FinishTimestampMonotonic=0).\n"));

    [Fact]
    public void Debian12_Blame_FiveSlowestUnitsFirst()
    {
        IReadOnlyList<UnitTime> top = SystemdAnalyzeParser.Blame(Fixture("systemd-analyze-blame.txt"), 5);
        Assert.Equal(["apparmor.service", "dev-vda1.device", "e2scrub_reap.service", "systemd-udev-trigger.service", "systemd-journald.service"],
            top.Select(u => u.Unit));
        Assert.Equal(22.730, top[0].Seconds, 3);
    }

    [Fact]
    public void Blame_MinutesAndMilliseconds_AreSeconds()
    {
        IReadOnlyList<UnitTime> top = SystemdAnalyzeParser.Blame("1min 2.003s slow.service\n    812ms quick.mount\n", 5);
        Assert.Equal([new UnitTime("slow.service", 62.003), new UnitTime("quick.mount", 0.812)], top);
    }
}
