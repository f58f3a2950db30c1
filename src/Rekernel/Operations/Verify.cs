using Rekernel.Config;
using Rekernel.Health;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>
/// <c>rekernel verify</c>: after a reboot, settles the pending switch and records the downtime. In order: not
/// rebooted yet → pending; another kernel runs → fallback; the target runs without this switch's token on its
/// command line → firmware reboot; then health → unhealthy or success. Every settled switch also clears the
/// one-shot return path it set, so an ordinary reboot later boots the bootloader default. A kernel that
/// <c>rekernel load</c> staged in an earlier boot and that runs now is judged the same way, without a switch
/// having been requested. Meant to run once per boot (a systemd unit).
/// </summary>
public sealed class Verify(MachineServices services, OperationEvents events)
{
    public VerifyResult Run()
    {
        using var held = services.Lock("rekernel verify", events);
        SwitchJournal journal = services.Journal();
        RunningSystem machine = services.Machine();
        StagedKernel? vanished = VanishedStaged(journal, machine);
        if ((journal.Pending ?? LoadedThenRebooted(journal, vanished, machine)) is not { } pending)
            return new VerifyResult(VerifyOutcome.Nothing, null, machine.Release);
        string bootId = machine.BootId
            ?? throw new RekernelException(ExitCode.Refused, $"cannot read {RunningSystem.BootIdPath}, so it is unknown whether the machine rebooted; is /proc mounted?");
        if (bootId == pending.BootId) return new VerifyResult(VerifyOutcome.Pending, pending, machine.Release);

        (VerifyOutcome outcome, string? detail) = Arrival(pending, machine);
        IReadOnlyList<HealthCheck> checks = [];
        if (outcome == VerifyOutcome.Success) (outcome, detail, checks) = Health(pending, journal, machine, bootId);
        // Taken after the health step, which may wait for the machine to settle: now and uptime must be read together.
        DateTimeOffset now = services.Clock.GetUtcNow();
        // A kexec'd kernel never passed through the bootloader, so the one-shot entry is still set after a good switch.
        new ReturnPaths(services, events).Clear(pending.ReturnPath);
        SwitchRecord settled = journal.Complete(Recorded(outcome), now, Downtime(pending, now, machine.UptimeSeconds), detail, checks);
        return new VerifyResult(outcome, settled, machine.Release);
    }

    /// <summary>
    /// What <c>rekernel load</c> staged in an earlier boot, removed from the state directory: a staged kernel does
    /// not survive a reboot, so it is reported once, by this verify. Null when nothing was staged or it is this boot's.
    /// </summary>
    private static StagedKernel? VanishedStaged(SwitchJournal journal, RunningSystem machine)
    {
        if (machine.BootId is not { } bootId || journal.Staged is not { } staged || staged.BootId == bootId) return null;
        journal.ClearStaged();
        return staged;
    }

    /// <summary>
    /// A kernel staged without a switch whose release runs now, journaled as a pending <see cref="SwitchMode.LoadOnly"/>
    /// record for the usual judgement (a firmware reboot unless the token proves someone ran the kexec by hand).
    /// Null when another kernel runs: the staged one simply vanished with the reboot.
    /// </summary>
    private static SwitchRecord? LoadedThenRebooted(SwitchJournal journal, StagedKernel? staged, RunningSystem machine)
    {
        if (staged is null || machine.Release != staged.Version) return null;
        // staged.json of older versions does not keep the release that staged it; the journal says so rather than guess.
        SwitchRecord record = SwitchRecord.Of(staged, staged.From ?? "unknown", staged.Version, staged.StagedAt, SwitchMode.LoadOnly, staged.BootId);
        journal.RecordPending(record);
        return record;
    }

    /// <summary>
    /// The machine came up through the kexec: compares it with the snapshot the switching boot took at staging
    /// (none when the kernel was staged by something else) and runs the operator's health commands.
    /// </summary>
    private (VerifyOutcome Outcome, string? Detail, IReadOnlyList<HealthCheck> Checks) Health(SwitchRecord pending, SwitchJournal journal, RunningSystem machine, string bootId)
    {
        RekernelConfig config = services.Config();
        HealthSnapshot? before = journal.Health is { } snapshot && snapshot.BootId == pending.BootId ? snapshot : null;
        if (before is not null || config.HealthCommands.Length > 0)
            events.Progress($"checking health (waiting up to {config.VerifySettleTimeout.TotalSeconds:0} s for the machine to settle)...");
        IReadOnlyList<HealthCheck> checks;
        try
        {
            checks = new HealthVerifier(services.Clock, services.Sleep, services.FailedUnits)
                .Checks(before, machine, bootId, config.VerifySettleTimeout, config.HealthCommands, config.HealthCommandTimeout);
        }
        finally { events.ProgressDone(); }
        HealthCheck[] failed = [.. checks.Where(c => !c.Passed)];
        if (failed.Length == 0) return (VerifyOutcome.Success, null, checks);
        string more = failed.Length > 1 ? $" ({failed.Length - 1} more failed check{(failed.Length > 2 ? "s" : "")}: {string.Join(", ", failed.Skip(1).Select(c => c.Name))})" : "";
        return (VerifyOutcome.Unhealthy,
            $"{pending.ToVersion ?? "the staged kernel"} came up through this kexec but is unhealthy: {failed[0].Name}: {failed[0].Detail}{more}", checks);
    }

    /// <summary>Whether the switch arrived on the target through this kexec, and why in one sentence when it did not.</summary>
    private static (VerifyOutcome Outcome, string? Detail) Arrival(SwitchRecord pending, RunningSystem machine)
    {
        string release = machine.Release ?? "an unknown kernel";
        string target = pending.ToVersion ?? "the staged kernel";
        bool arrived = pending.ToVersion is { } to ? release == to : release != pending.FromVersion;
        if (!arrived)
            return (VerifyOutcome.Fallback, $"the machine came back on {release}, not {target}: the new kernel probably panicked and the panic= fallback rebooted through firmware; check its console log");
        // A record without a token comes from a kernel staged by something else (or an older rekernel): only the release can be checked.
        if (pending.Token is { } token && !SwitchToken.IsIn(machine.Cmdline, token))
            return (VerifyOutcome.FirmwareReboot, pending.Mode == SwitchMode.LoadOnly
                ? $"{target} runs but came up through a firmware reboot after `rekernel load`, not through a kexec ({SwitchToken.Argument(token)} is missing from /proc/cmdline); no switch was requested, so the bootloader started its default"
                : $"{target} runs but came up through a firmware reboot, not this kexec ({SwitchToken.Argument(token)} is missing from /proc/cmdline); the jump probably failed and the bootloader started its default");
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
    /// unreadable, the result is negative (the clock was stepped), or no switch was requested (nothing began).
    /// </summary>
    public static double? Downtime(SwitchRecord record, DateTimeOffset now, double? uptimeSeconds)
    {
        if (uptimeSeconds is not { } up || record.Mode == SwitchMode.LoadOnly) return null;
        double seconds = (now - TimeSpan.FromSeconds(up) - record.SwitchStartedAt).TotalSeconds;
        return seconds >= 0 ? seconds : null;
    }
}
