using Rekernel.Switching;
using Tmds.DBus.Protocol;

namespace Rekernel.Tests.Switching;

public sealed class SystemdOverDbusTests : IDisposable
{
    private readonly PrivateBus _bus = new();

    public void Dispose() => _bus.Dispose();

    /// <summary>A reply carrying nothing, an object path (string) or a boolean.</summary>
    private static MessageBuffer Reply(MethodContext context, object? value)
    {
        using MessageWriter writer = context.CreateReplyWriter(value switch { string => "o", bool => "b", _ => null });
        if (value is string path) writer.WriteObjectPath(path);
        if (value is bool flag) writer.WriteBool(flag);
        return writer.CreateMessage();
    }

    [Fact]
    public void GracefulSwitch_StartsKexecTargetReplacingIrreversibly()
    {
        using FakeBusObject systemd = FakeBusObject.Serve(_bus.Address, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
            c => Reply(c, "/org/freedesktop/systemd1/job/42"));
        bool ranSystemctl = false;

        new SystemdSwitcher(_bus.Address, (_, _) => { ranSystemctl = true; return 0; }).Switch();

        Assert.Equal(["org.freedesktop.systemd1.Manager.StartUnit(ss) kexec.target replace-irreversibly"], systemd.Calls);
        Assert.False(ranSystemctl);
    }

    /// <summary>systemd's answer to Properties.Get of KExecWatchdogUSec (a variant "t"), or nothing to Set.</summary>
    private static MessageBuffer WatchdogReply(MethodContext context, ulong current)
    {
        bool get = context.Request.MemberAsString == "Get";
        using MessageWriter writer = context.CreateReplyWriter(get ? "v" : null);
        if (get) writer.WriteVariantUInt64(current);
        return writer.CreateMessage();
    }

    [Fact]
    public void KexecWatchdog_LeftOff_IsSetForTheEndingBoot_InMicroseconds()
    {
        using FakeBusObject systemd = FakeBusObject.Serve(_bus.Address, "org.freedesktop.systemd1", "/org/freedesktop/systemd1", c => WatchdogReply(c, 0));

        new SystemdKexecWatchdog(_bus.Address).Arm(TimeSpan.FromMinutes(10));

        Assert.Equal(
            ["org.freedesktop.DBus.Properties.Get(ss) org.freedesktop.systemd1.Manager KExecWatchdogUSec",
             "org.freedesktop.DBus.Properties.Set(ssv) org.freedesktop.systemd1.Manager KExecWatchdogUSec <t 600000000>"],
            systemd.Calls);
    }

    [Fact]
    public void KexecWatchdog_TheOperatorSetKExecWatchdogSec_IsLeftAsItIs()
    {
        using FakeBusObject systemd = FakeBusObject.Serve(_bus.Address, "org.freedesktop.systemd1", "/org/freedesktop/systemd1", c => WatchdogReply(c, 120_000_000));

        new SystemdKexecWatchdog(_bus.Address).Arm(TimeSpan.FromMinutes(10));

        Assert.Equal(["org.freedesktop.DBus.Properties.Get(ss) org.freedesktop.systemd1.Manager KExecWatchdogUSec"], systemd.Calls);
    }

    [Fact]
    public void Schedule_AndCancel_GoThroughLogind()
    {
        using FakeBusObject logind = FakeBusObject.Serve(_bus.Address, "org.freedesktop.login1", "/org/freedesktop/login1",
            c => c.Request.MemberAsString == "CancelScheduledShutdown"
                ? Reply(c, true)
                : Reply(c, null));
        var scheduler = new LogindScheduler(_bus.Address);

        scheduler.Schedule(new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero));
        bool cancelled = scheduler.Cancel();

        Assert.True(cancelled);
        Assert.Equal(
            ["org.freedesktop.login1.Manager.ScheduleShutdown(st) kexec 1748772000000000", "org.freedesktop.login1.Manager.CancelScheduledShutdown()"],
            logind.Calls);
    }

    [Fact]
    public void SystemdAbsentFromTheBus_IsARefusalNamingTheDbusError()
    {
        var ex = Assert.Throws<RekernelException>(new SystemdSwitcher(_bus.Address, (_, _) => 0).Switch);

        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        Assert.StartsWith("org.freedesktop.systemd1 refused StartUnit: org.freedesktop.DBus.Error.", ex.Message);
        Assert.EndsWith("; check that org.freedesktop.systemd1 is running, or switch with --now.", Rekernel.Cli.FlagAdvice.Sentence(ex.Finding));
    }
}
