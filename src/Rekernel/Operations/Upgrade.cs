using Rekernel.Config;
using Rekernel.Journal;
using Rekernel.Kexec;

namespace Rekernel.Operations;

/// <summary>
/// <c>rekernel upgrade</c>, the whole manual flow in one use case: plan → confirm → lock → stage → journal →
/// switch. Nothing is staged before the user agreed, and when the switch does not start, what was staged is
/// unloaded again: upgrade staged it only to switch into it.
/// </summary>
public sealed class Upgrade(MachineServices services, OperationEvents events)
{
    public UpgradeResult Run(UpgradeRequest request)
    {
        StagePlan plan = StagePlanner.Plan(request.Stage, services, events);
        SwitchMode mode = Mode(request, plan.Config);
        if (plan.TargetRuns && !request.Force) return new UpgradeResult(UpgradeOutcome.AlreadyRunning, plan, mode, [], null);
        // Before the dry run returns, so that it refuses what the real run would (and the fleet agent, which asks
        // the dry run before it takes a slot, never takes one only to halt its group on a refusal).
        if (request.InWindow) RefuseOutsideWindow(plan.Config);
        UnattendedTpm2.Refuse(plan.Machine, plan.Config, attended: request.Confirm is not null);
        Switch.RefuseGracefulWithoutSystemd(mode, plan.Machine);
        if (request.DryRun)
            return new UpgradeResult(UpgradeOutcome.DryRun, plan, mode, KernelStaging.Check(plan, services, events), null,
                new ReturnPaths(services, events).Plan(plan.Machine), plan.Machine.Watchdog(immediateJump: mode == SwitchMode.Now));
        var intent = new SwitchIntent(plan.Machine.Release ?? "unknown", plan.Load.Entry.Version ?? plan.Load.Entry.Title, mode,
            mode == SwitchMode.Scheduled ? request.When!.Value.At : null);
        if (request.Confirm is { } confirm && !confirm(intent)) ThrowHelper.Refuse("not confirmed; nothing was changed.");

        using var held = services.Lock("rekernel upgrade", events);
        var (warnings, staged, kexec) = KernelStaging.Stage(plan, services, events);
        var switching = new SwitchRequest(mode == SwitchMode.Now, request.When);
        try
        {
            SwitchRecord record = new Switch(services, events).StartLocked(switching, plan.Machine, kexec, staged);
            return new UpgradeResult(UpgradeOutcome.Switching, plan, mode, warnings, record);
        }
        catch (Exception failure)
        {
            if (TryUndo(kexec) is not { } cleanup) throw;
            throw new RekernelException(cleanup.ExitCode,
                $"{failure.Message.TrimEnd('.')}; the kernel is still staged because unloading it failed too ({cleanup.Message.TrimEnd('.')}); run `rekernel unload`.", failure);
        }
    }

    /// <summary>The config's <c>switch = now</c> makes the jump immediate unless the request chose a time.</summary>
    private static SwitchMode Mode(UpgradeRequest request, RekernelConfig config) =>
        new SwitchRequest(request.Now || (config.Switch == SwitchPolicy.Now && request.When is null), request.When).Mode;

    /// <summary>Unloads what this upgrade staged; the failure of doing so, or null.</summary>
    private RekernelException? TryUndo(IKexecSystem kexec)
    {
        try
        {
            new Stager(kexec).Unload();
            services.Journal().ClearStaged();
            return null;
        }
        catch (RekernelException cleanup)
        {
            return cleanup;
        }
    }

    /// <summary>Refuses when the config's maintenance window is set and the local time is outside it.</summary>
    private void RefuseOutsideWindow(RekernelConfig config)
    {
        if (config.MaintenanceWindow is not { } window) return;
        var time = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(services.Clock.GetUtcNow(), services.TimeZone).DateTime);
        if (!window.Contains(time))
            ThrowHelper.Refuse($"it is {time:HH:mm}, outside the maintenance window {window} (maintenance_window in rekernel.conf); nothing was changed.");
    }
}
