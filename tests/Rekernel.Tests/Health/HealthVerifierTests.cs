using Rekernel.Health;
using Rekernel.Tests.Switching;

namespace Rekernel.Tests.Health;

/// <summary>Verify's health step: waiting for the machine to settle, then the operator's commands.</summary>
public sealed class HealthVerifierTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly FixedClock _clock = new(T0);
    private readonly List<TimeSpan> _sleeps = [];

    /// <summary>A verifier whose sleeps advance the clock and run <paramref name="meanwhile"/>, what the machine does while it waits.</summary>
    private HealthVerifier Verifier(Action? meanwhile = null) => new(_clock, wait =>
    {
        _sleeps.Add(wait);
        _clock.Now += wait;
        meanwhile?.Invoke();
    }, () => []);

    private static FakeSys Guest() => new FakeSys().Device("virtio", "virtio0", "virtio_net").Interface("eth0", "up", "0x1003");

    private static HealthSnapshot Before(FakeSys sys) => HealthProbe.Take(sys.Machine, "old-boot", T0, () => []);

    [Fact]
    public void LinkStillNegotiatingAtFirstLook_VerifyWaitsForIt_AndPassesWithoutWaitingLonger()
    {
        using FakeSys sys = Guest();
        HealthSnapshot before = Before(sys);
        sys.Interface("eth0", "down", "0x1003");

        IReadOnlyList<HealthCheck> checks = Verifier(meanwhile: () => sys.Interface("eth0", "up", "0x1003"))
            .Checks(before, sys.Machine, "new-boot", Minute, [], CommandTimeout);

        Assert.All(checks, c => Assert.True(c.Passed, c.Detail));
        Assert.Equal([TimeSpan.FromSeconds(2)], _sleeps);
    }

    [Fact]
    public void DriverNeverComesBack_VerifyJudgesAfterTheSettleTimeout_NotBefore()
    {
        using FakeSys sys = Guest();
        HealthSnapshot before = Before(sys);
        sys.Device("virtio", "virtio0", null);

        IReadOnlyList<HealthCheck> checks = Verifier().Checks(before, sys.Machine, "new-boot", Minute, [], CommandTimeout);

        Assert.Equal(new HealthCheck("drivers", false, "virtio0 on bus virtio lost its driver virtio_net"), checks[0]);
        Assert.Equal(T0 + Minute, _clock.Now);
        Assert.Equal(30, _sleeps.Count);
    }

    [Fact]
    public void SettleTimeoutZero_JudgesAtOnce()
    {
        using FakeSys sys = Guest();
        HealthSnapshot before = Before(sys);
        sys.Device("virtio", "virtio0", null);

        Assert.False(Verifier().Checks(before, sys.Machine, "new-boot", TimeSpan.Zero, [], CommandTimeout)[0].Passed);
        Assert.Empty(_sleeps);
    }

    [Fact]
    public void NoSnapshotOfTheSwitchingBoot_OnlyTheOperatorsCommandsAreChecked()
    {
        using FakeSys sys = Guest();
        IReadOnlyList<HealthCheck> checks = Verifier().Checks(null, sys.Machine, "new-boot", Minute, [new("ok", "true")], CommandTimeout);
        Assert.Equal([new HealthCheck("command: ok", true, "`true` exited with 0")], checks);
    }

    [Fact]
    public void HealthCommandExitingNonZero_FailsNamingTheExitCodeAndItsLastErrorLine()
    {
        HealthCheck check = CommandCheck.Run(new HealthCommand("web", "echo 'curl: (7) Failed to connect to 127.0.0.1 port 80' >&2; exit 7"), CommandTimeout);
        Assert.Equal(new HealthCheck("command: web", false,
            "`echo 'curl: (7) Failed to connect to 127.0.0.1 port 80' >&2; exit 7` exited with 7 (curl: (7) Failed to connect to 127.0.0.1 port 80)"), check);
    }

    [Fact]
    public void HealthCommandThatHangs_IsKilledAtItsTimeout_AndFails()
    {
        var started = DateTime.UtcNow;
        HealthCheck check = CommandCheck.Run(new HealthCommand("db", "sleep 30"), TimeSpan.FromMilliseconds(300));
        Assert.Equal(new HealthCheck("command: db", false, "`sleep 30` did not finish within 0.3 s (health_command_timeout) and was killed"), check);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void SnapshotChecksThenCommands_InThatOrder_EachNamed()
    {
        using FakeSys sys = Guest();
        IReadOnlyList<HealthCheck> checks = Verifier().Checks(Before(sys), sys.Machine, "new-boot", Minute,
            [new("web", "true"), new("db", "false")], CommandTimeout);
        Assert.Equal(["drivers", "network", "kdump", "units", "command: web", "command: db"], checks.Select(c => c.Name));
        Assert.False(checks[^1].Passed);
    }
}
