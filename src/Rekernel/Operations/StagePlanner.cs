using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>The first step of <see cref="Load"/> and <see cref="Upgrade"/>: discover, choose the target, compose its command line.</summary>
public static class StagePlanner
{
    public static StagePlan Plan(StageRequest request, MachineServices services, OperationEvents events)
    {
        RekernelConfig config = services.Config();
        var machine = services.Machine(request.RunningRelease);
        BootInventory inventory = services.Discover(request.Tree);
        foreach (Diagnostic d in inventory.Diagnostics) events.Diagnostic(d);
        BootEntry entry = TargetSelector.Select(inventory, Target(request, config));
        string token = services.NewSwitchToken();
        var changes = new CmdlineRequest
        {
            Replace = request.Cmdline,
            Append = [.. config.Append, .. request.Append],
            Remove = [.. config.Remove, .. request.Remove],
            PanicTimeout = request.NoPanicReboot ? null : request.PanicTimeout ?? config.PanicTimeout,
            Token = token,
        };
        string cmdline = CmdlineComposer.Compose(entry.Cmdline, machine.Cmdline, changes);
        RootDiscoveryCheck.Check(entry, cmdline, machine.Cmdline);
        StagingMethod method = services.Staging(machine, request.ViaKexecTools);
        return new StagePlan(request.Tree, machine, LoadPlan.For(entry, cmdline), method, config, token);
    }

    /// <summary>The request's choice; <c>target = latest</c> from the config only when it names none.</summary>
    private static TargetRequest Target(StageRequest request, RekernelConfig config)
    {
        bool latest = request.Latest || (config.Target == TargetPolicy.Latest && request.Target is null && !request.Default);
        return new TargetRequest(request.Target, latest, request.Default);
    }
}
