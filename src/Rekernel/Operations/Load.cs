namespace Rekernel.Operations;

/// <summary><c>rekernel load</c>: plan → (dry run: check) → lock → stage → journal.</summary>
public sealed class Load(MachineServices services, OperationEvents events)
{
    public LoadResult Run(LoadRequest request)
    {
        StagePlan plan = StagePlanner.Plan(request.Stage, services, events);
        if (request.DryRun) return new LoadResult(plan, DidStage: false, KernelStaging.Check(plan, services, events), null);
        using var held = services.Lock("rekernel load", events);
        var (warnings, staged, _) = KernelStaging.Stage(plan, services, events);
        return new LoadResult(plan, DidStage: true, warnings, staged);
    }
}
