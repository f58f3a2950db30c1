using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Operations;

namespace Rekernel.Fleet.Agent;

/// <summary>The live machine: the agent reads, switches and verifies through the same operations as the CLI.</summary>
/// <param name="tree">The machine's boot configuration (<c>/</c> for the agent on a live machine).</param>
public sealed class MachineBackend(MachineServices services, OperationEvents events, BootRoot tree) : IHostBackend
{
    public HostFacts Read()
    {
        StatusReport status = new Status(services).Run(new StatusRequest(tree));
        RunningSystem machine = services.Machine();
        string bootId = machine.BootId
            ?? throw new RekernelException(ExitCode.Refused, "cannot read /proc/sys/kernel/random/boot_id, so the agent cannot tell one boot from the next; is /proc mounted?");
        return new HostFacts(bootId, status.Running ?? "unknown", status.Target?.Version) { MachineId = machine.MachineId };
    }

    /// <summary>The switch's own dry run: its refusals are the ones the switch would meet (its warnings are the switch's to report).</summary>
    public string? NotReady()
    {
        try
        {
            new Upgrade(services, OperationEvents.None).Run(Unattended(dryRun: true));
            return null;
        }
        catch (RekernelException refused) when (refused.ExitCode == ExitCode.Refused)
        {
            return refused.Message;
        }
    }

    public void Switch() => new Upgrade(services, events).Run(Unattended(dryRun: false));

    /// <summary>The upgrade nobody confirms: the configured target, the configured switch mode.</summary>
    private UpgradeRequest Unattended(bool dryRun) => new(new StageRequest { Tree = tree }, DryRun: dryRun);

    public void Report(HostState state) => new PublishMetrics(services).Run(state);

    public bool SwitchUnderWay() => services.Journal().Pending is { } pending && pending.BootId == services.Machine().BootId;

    /// <summary>Runs verify; when rekernel-verify.service already settled the switch in this boot, reads its verdict from the journal.</summary>
    public string? Verify()
    {
        VerifyResult result = new Verify(services, events).Run();
        if (result.Outcome == VerifyOutcome.Success) return null;
        SwitchRecord? last = result.Switch ?? services.Journal().History.FirstOrDefault();
        if (result.Outcome == VerifyOutcome.Nothing && last is { Outcome: SwitchOutcome.Success } && last.ToVersion == result.Running) return null;
        return last?.Detail ?? $"verify found {result.Outcome.ToString().ToLowerInvariant()} on {result.Running ?? "an unknown kernel"}";
    }
}
