using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Machine;
using Rekernel.Planning;
using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>
/// <c>rekernel switch</c>: jump into the staged kernel — gracefully through systemd, at once, or later through
/// logind — with the pending switch journaled and the one-shot return path set before the jump, so a firmware
/// reboot comes back on the running kernel and a later <see cref="Verify"/> can settle the switch.
/// </summary>
public sealed class Switch(MachineServices services, OperationEvents events)
{
    /// <summary>
    /// How long the watchdog counts across a jump through systemd: systemd's own default for a reboot
    /// (<c>RebootWatchdogSec=</c>), long enough for a slow shutdown, the jump and the new kernel up to its
    /// watchdog driver, which takes the device over.
    /// </summary>
    public static readonly TimeSpan KexecWatchdogTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Takes the lock and starts the switch into what is staged; returns the journaled record.</summary>
    public SwitchRecord Start(SwitchRequest request)
    {
        using var held = services.Lock("rekernel switch", events);
        RunningSystem machine = services.Machine();
        UnattendedTpm2.Refuse(machine, services.Config(), attended: request.Confirm is not null);
        if (machine.Tpm2Unlock is { } tpm2) events.Warning(new Finding(Readiness.Tpm2Sentence(tpm2)));
        return StartLocked(request, machine, services.Kexec(machine), staged: null);
    }

    /// <summary>A graceful or scheduled switch stops services through systemd; without it only an immediate jump works.</summary>
    internal static void RefuseGracefulWithoutSystemd(SwitchMode mode, RunningSystem machine)
    {
        if (mode != SwitchMode.Now && !machine.RunsSystemd)
            ThrowHelper.Refuse("PID 1 is not systemd, so services cannot be stopped through kexec.target", Remedy.JumpNow);
    }

    /// <summary>
    /// Starts the switch; the caller holds the lock. <paramref name="staged"/> is what the caller itself staged
    /// in this process; without it, the record <c>rekernel load</c> left for this boot names the kernel.
    /// </summary>
    internal SwitchRecord StartLocked(SwitchRequest request, RunningSystem machine, IKexecSystem kexec, StagedKernel? staged)
    {
        switch (kexec.IsLoaded)
        {
            case false: ThrowHelper.NotFound("no kernel is staged; run `rekernel load` first."); break;
            case null: ThrowHelper.Refuse("cannot tell whether a kernel is staged (/sys/kernel/kexec_loaded is unreadable); is /sys mounted?"); break;
        }
        SwitchMode mode = request.Mode;
        RefuseGracefulWithoutSystemd(mode, machine);
        string bootId = machine.BootId ?? throw new RekernelException(ExitCode.Refused,
            $"cannot read {RunningSystem.BootIdPath}, so a later `rekernel verify` could not tell the switch happened; is /proc mounted?");
        SwitchJournal journal = services.Journal();
        staged ??= journal.Staged is { } s && s.BootId == bootId ? s : null;
        if (staged is null)
            events.Warning(new Finding("the staged kernel was not loaded by `rekernel load` in this boot, so its version is unknown; `rekernel verify` will only check that the kernel changed."));

        var intent = new SwitchIntent(machine.Release ?? "unknown", staged?.Version, mode, mode == SwitchMode.Scheduled ? request.When!.Value.At : null);
        if (request.Confirm is { } confirm && !confirm(intent))
            ThrowHelper.Refuse("not confirmed; nothing was changed (the kernel stays staged).");
        var returns = new ReturnPaths(services, events);
        ReturnRoute route = returns.Plan(machine);
        // The dry run and status say it too, but a switch started without looking at either must not hide it.
        if (route.Reason is { } none) events.Warning(new Finding($"no return path: {none.TrimEnd('.')}."));
        SwitchRecord record = SwitchRecord.Of(staged, intent.From, intent.To, services.Clock.GetUtcNow(), mode, bootId) with
        {
            ScheduledFor = intent.At,
            ReturnPath = route.Path,
        };
        journal.RecordPending(record);
        try
        {
            if (record.ReturnPath is { } path) returns.Set(path);
            if (mode != SwitchMode.Now) ArmWatchdog(machine);
            Perform(record, kexec);
        }
        catch (RekernelException ex)
        {
            returns.Clear(record.ReturnPath);
            journal.Complete(SwitchOutcome.Cancelled, services.Clock.GetUtcNow(), detail: ex.Message);
            throw;
        }
        return record;
    }

    /// <summary>Cancels a switch scheduled through logind; returns the journaled switch it cancelled, if any, and whether logind had one.</summary>
    public (bool LogindCancelled, SwitchRecord? Cancelled) Cancel()
    {
        using var held = services.Lock("rekernel switch", events);
        SwitchJournal journal = services.Journal();
        bool cancelled = services.Scheduler().Cancel();
        SwitchRecord? pending = journal.Pending is { Mode: SwitchMode.Scheduled } p ? p : null;
        new ReturnPaths(services, events).Clear(pending?.ReturnPath);
        if (pending is not null) journal.Complete(SwitchOutcome.Cancelled, services.Clock.GetUtcNow(), detail: "cancelled with `rekernel switch --cancel`");
        return (cancelled, pending);
    }

    /// <summary>
    /// Has systemd arm the watchdog for the jump when it survives the kexec (<see cref="WatchdogGuard"/>). It is
    /// one more net beside <c>panic=</c> and the return path, so failing to set it is a warning, not a refusal.
    /// </summary>
    private void ArmWatchdog(RunningSystem machine)
    {
        if (!machine.Watchdog(immediateJump: false).Armed) return;
        try
        {
            services.KexecWatchdog().Arm(KexecWatchdogTimeout);
        }
        catch (RekernelException ex)
        {
            events.Warning(new Finding($"the watchdog is not armed for the jump: {ex.Finding.Cause.TrimEnd('.')}."));
        }
    }

    private void Perform(SwitchRecord record, IKexecSystem kexec)
    {
        switch (record.Mode)
        {
            case SwitchMode.Scheduled:
                services.Scheduler().Schedule(record.ScheduledFor!.Value);
                break;
            case SwitchMode.Graceful:
                services.Graceful().Switch();
                break;
            default:
                events.Jumping(record);
                new DirectSwitcher(kexec).Switch();
                break;
        }
    }
}
