using Rekernel.Journal;
using Rekernel.Machine;

namespace Rekernel.Operations;

/// <summary>
/// <c>rekernel verify</c>: after a reboot, settles the pending switch — success when the machine runs the kernel
/// it was switched to, failed when it came back on another one — and records the downtime. Meant to run once
/// per boot (a systemd unit).
/// </summary>
public sealed class Verify(MachineServices services, OperationEvents events)
{
    public VerifyResult Run()
    {
        using var held = services.Lock("rekernel verify", events);
        SwitchJournal journal = services.Journal();
        RunningSystem machine = services.Machine();
        if (journal.Pending is not { } pending) return new VerifyResult(VerifyOutcome.Nothing, null, machine.Release);
        string bootId = machine.BootId
            ?? throw new RekernelException(ExitCode.Refused, $"cannot read {RunningSystem.BootIdPath}, so it is unknown whether the machine rebooted; is /proc mounted?");
        if (bootId == pending.BootId) return new VerifyResult(VerifyOutcome.Pending, pending, machine.Release);

        DateTimeOffset now = services.Clock.GetUtcNow();
        double? downtime = Downtime(pending, now, machine.UptimeSeconds);
        string release = machine.Release ?? "an unknown kernel";
        bool arrived = pending.ToVersion is { } to ? release == to : release != pending.FromVersion;
        if (arrived) return new VerifyResult(VerifyOutcome.Success, journal.Complete(SwitchOutcome.Success, now, downtime), release);
        string why = $"the machine came back on {release}, not {pending.ToVersion ?? "the staged kernel"}: the new kernel probably panicked and the panic= fallback rebooted through firmware; check its console log";
        return new VerifyResult(VerifyOutcome.Failed, journal.Complete(SwitchOutcome.Failed, now, downtime, why), release);
    }

    /// <summary>
    /// From the moment the switch began to the start of this boot (now minus uptime); null when uptime is
    /// unreadable or the result is negative (the clock was stepped).
    /// </summary>
    public static double? Downtime(SwitchRecord record, DateTimeOffset now, double? uptimeSeconds)
    {
        if (uptimeSeconds is not { } up) return null;
        double seconds = (now - TimeSpan.FromSeconds(up) - record.SwitchStartedAt).TotalSeconds;
        return seconds >= 0 ? seconds : null;
    }
}
