using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>
/// <c>rekernel verify</c>: after a reboot, settles the pending switch and records the downtime. In order: not
/// rebooted yet → pending; another kernel runs → fallback; the target runs without this switch's token on its
/// command line → firmware reboot; then health → unhealthy or success. Every settled switch also clears the
/// one-shot return path it set, so an ordinary reboot later boots the bootloader default. Meant to run once per
/// boot (a systemd unit).
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
        (VerifyOutcome outcome, string? detail) = Judge(pending, machine);
        // A kexec'd kernel never passed through the bootloader, so the one-shot entry is still set after a good switch.
        new ReturnPaths(services, events).Clear(pending.ReturnPath);
        SwitchRecord settled = journal.Complete(Recorded(outcome), now, Downtime(pending, now, machine.UptimeSeconds), detail);
        return new VerifyResult(outcome, settled, machine.Release);
    }

    /// <summary>How the switch ended, and why in one sentence when it did not succeed.</summary>
    private static (VerifyOutcome Outcome, string? Detail) Judge(SwitchRecord pending, RunningSystem machine)
    {
        string release = machine.Release ?? "an unknown kernel";
        string target = pending.ToVersion ?? "the staged kernel";
        bool arrived = pending.ToVersion is { } to ? release == to : release != pending.FromVersion;
        if (!arrived)
            return (VerifyOutcome.Fallback, $"the machine came back on {release}, not {target}: the new kernel probably panicked and the panic= fallback rebooted through firmware; check its console log");
        // A record without a token comes from a kernel staged by something else (or an older rekernel): only the release can be checked.
        if (pending.Token is { } token && !SwitchToken.IsIn(machine.Cmdline, token))
            return (VerifyOutcome.FirmwareReboot, $"{target} runs but came up through a firmware reboot, not this kexec ({SwitchToken.Argument(token)} is missing from /proc/cmdline); the jump probably failed and the bootloader started its default");
        // Health: the "health" step compares the snapshot taken at staging with this boot here (→ Unhealthy).
        return (VerifyOutcome.Success, null);
    }

    private static SwitchOutcome Recorded(VerifyOutcome outcome) => outcome switch
    {
        VerifyOutcome.Success => SwitchOutcome.Success,
        VerifyOutcome.Fallback => SwitchOutcome.Fallback,
        VerifyOutcome.FirmwareReboot => SwitchOutcome.FirmwareReboot,
        VerifyOutcome.Unhealthy => SwitchOutcome.Unhealthy,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

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
