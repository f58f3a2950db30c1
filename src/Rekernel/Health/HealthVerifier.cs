using Rekernel.Machine;

namespace Rekernel.Health;

/// <summary>
/// The health step of <c>verify</c>. The machine may still be starting (a NIC's link negotiating, a driver's
/// module loading, kdump's service not yet run), so the snapshot checks are repeated until they all pass or the
/// settle timeout has passed, and only then judged; the operator's commands run once, afterwards.
/// </summary>
/// <param name="clock">Measures the settle timeout.</param>
/// <param name="sleep">Waits between attempts (a fake in tests that advances the clock).</param>
public sealed class HealthVerifier(TimeProvider clock, Action<TimeSpan> sleep, Func<IReadOnlyList<string>?> failedUnits)
{
    /// <summary>How long to wait between two looks at the machine while it settles.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <param name="before">The snapshot of the boot that requested the switch; null when none was taken (no snapshot checks).</param>
    public IReadOnlyList<HealthCheck> Checks(HealthSnapshot? before, RunningSystem machine, string bootId,
        TimeSpan settleTimeout, IReadOnlyList<HealthCommand> commands, TimeSpan commandTimeout)
    {
        IReadOnlyList<HealthCheck> settled = before is null ? [] : Settled(before, machine, bootId, settleTimeout);
        return [.. settled, .. commands.Select(c => CommandCheck.Run(c, commandTimeout))];
    }

    private IReadOnlyList<HealthCheck> Settled(HealthSnapshot before, RunningSystem machine, string bootId, TimeSpan settleTimeout)
    {
        DateTimeOffset deadline = clock.GetUtcNow() + settleTimeout;
        while (true)
        {
            IReadOnlyList<HealthCheck> checks = HealthComparison.Compare(before, HealthProbe.Take(machine, bootId, clock.GetUtcNow(), failedUnits));
            TimeSpan left = deadline - clock.GetUtcNow();
            if (checks.All(c => c.Passed) || left <= TimeSpan.Zero) return checks;
            sleep(left < PollInterval ? left : PollInterval);
        }
    }
}
