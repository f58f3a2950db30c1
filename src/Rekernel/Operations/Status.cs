using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary><c>rekernel status</c>: running kernel, bootloader default, target, staged state and readiness; changes nothing.</summary>
public sealed class Status(MachineServices services)
{
    public StatusReport Run(StatusRequest request)
    {
        RunningSystem machine = services.Machine(request.RunningRelease);
        BootInventory inventory = services.Discover(request.Tree);
        BootEntry? target = Target(request, inventory);
        bool? loaded = machine.KexecLoaded;
        return new StatusReport(
            machine.Release,
            inventory,
            target,
            SwitchPending(target, machine.Release),
            loaded,
            loaded == true ? StagedInThisBoot(services.Journal(), machine) : null,
            Readiness.Evaluate(machine, services.EffectiveUid(), services.Staging(machine, requested: false)),
            new ReturnPaths(services, OperationEvents.None).Plan(machine),
            machine.Watchdog(immediateJump: services.Config().Switch == SwitchPolicy.Now));
    }

    /// <summary>
    /// Only whether a switch is pending (<c>status --check</c> without <c>--json</c>): the same answer as
    /// <see cref="Run"/>, without the kexec state, the journal and the readiness checks nobody would see.
    /// </summary>
    public bool IsSwitchPending(StatusRequest request) =>
        SwitchPending(Target(request, services.Discover(request.Tree)), services.Machine(request.RunningRelease).Release);

    private BootEntry? Target(StatusRequest request, BootInventory inventory) =>
        request.Latest || services.Config().Target == TargetPolicy.Latest ? inventory.Newest : inventory.Default;

    /// <summary>
    /// What <c>rekernel load</c> recorded in this boot. A record from an earlier boot names nothing that is loaded
    /// now; an unreadable record only costs status the version, which <c>switch</c> and <c>load</c> report themselves.
    /// </summary>
    private static StagedKernel? StagedInThisBoot(SwitchJournal journal, RunningSystem machine)
    {
        try
        {
            return journal.Staged is { } staged && staged.BootId == machine.BootId ? staged : null;
        }
        catch (RekernelException)
        {
            return null;
        }
    }

    /// <summary>A switch is pending when the target is known and is not the running kernel.</summary>
    private static bool SwitchPending(BootEntry? target, string? running) =>
        target?.Version is { } version && running is not null && version != running;
}
