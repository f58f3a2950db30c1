using Rekernel.Switching;

namespace Rekernel.Tests.Switching;

public sealed class SystemdSwitcherTests
{
    private const string NoBus = "unix:path=/nonexistent/rekernel-test/system_bus_socket";

    [Fact]
    public void BusUnreachable_FallsBackToSystemctlWithTheSameJob()
    {
        var ran = new List<string>();
        var switcher = new SystemdSwitcher(NoBus, (program, args) =>
        {
            ran.Add(program + " " + string.Join(' ', args));
            return 0;
        });

        switcher.Switch();

        Assert.Equal(["systemctl start --job-mode=replace-irreversibly kexec.target"], ran);
    }

    [Fact]
    public void BusUnreachableAndSystemctlFails_RefusesNamingNow()
    {
        var switcher = new SystemdSwitcher(NoBus, (_, _) => 1);

        var ex = Assert.Throws<RekernelException>(switcher.Switch);

        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        Assert.EndsWith("exited with 1; check `systemctl status`, or switch with --now.", Rekernel.Cli.FlagAdvice.Sentence(ex.Finding));
    }

    [Fact]
    public void SchedulingWithoutABus_SaysToStartDbus()
    {
        var ex = Assert.Throws<BusUnreachableException>(() => new LogindScheduler(NoBus).Schedule(DateTimeOffset.UnixEpoch.AddYears(60)));

        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        Assert.StartsWith($"the D-Bus system bus at {NoBus} is unreachable (", ex.Message);
        Assert.EndsWith("start dbus, or switch with --now.", Rekernel.Cli.FlagAdvice.Sentence(ex.Finding));
    }

    [Fact]
    public void LogindTime_IsRealtimeMicroseconds()
    {
        Assert.Equal(1_748_772_000_000_000UL, LogindScheduler.RealtimeMicroseconds(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2))));
    }
}
