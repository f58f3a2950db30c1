using Rekernel.Discovery;
using Rekernel.Health;
using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>
/// The step <see cref="Load"/> and <see cref="Upgrade"/> share after planning: open the plan's files once, run
/// preflight on them, and (unless only checking) stage exactly those descriptors and note the staged kernel, and a
/// snapshot of the machine's health for <c>verify</c> to compare with, in the state directory for later processes. The caller holds the lock when staging.
/// </summary>
internal static class KernelStaging
{
    /// <summary>Above this, copying initrds into memory takes long enough on slow disks to say so.</summary>
    private const long LargeCopyBytes = 32L << 20;

    /// <summary>Preflight only, as for a dry run (the privilege check is skipped); returns the warnings.</summary>
    public static IReadOnlyList<Finding> Check(StagePlan plan, MachineServices services, OperationEvents events)
    {
        using OpenedImages images = OpenedImages.Open(plan.Tree, plan.Load.Entry);
        return Preflight(plan, images, services, events, staging: false);
    }

    /// <summary>
    /// Preflight, then stages; returns the warnings, what was staged (null when this boot's id is unreadable) and
    /// the system calls it staged with, which are made only once preflight has passed.
    /// </summary>
    public static (IReadOnlyList<Finding> Warnings, StagedKernel? Staged, IKexecSystem Kexec) Stage(StagePlan plan, MachineServices services, OperationEvents events)
    {
        BootEntry entry = plan.Load.Entry;
        using OpenedImages images = OpenedImages.Open(plan.Tree, entry);
        IReadOnlyList<Finding> warnings = Preflight(plan, images, services, events, staging: true);
        IKexecSystem kexec = services.Kexec(plan.Machine);
        var stager = new Stager(kexec);
        long copied = CopyBytes(images, entry);
        if (copied >= LargeCopyBytes)
            events.Progress($"reading {copied >> 20} MiB of {(entry.Uki is null ? "initrds" : "the UKI")} into memory...");
        KexecImageSet assembled;
        try { assembled = KexecImageSet.Assemble(images, entry.Uki, kexec); }
        finally { events.ProgressDone(); }
        using (KexecImageSet set = assembled)
        {
            // Preflight read these descriptors; a package manager rewriting a file in place since then would
            // have the kernel load bytes nobody checked.
            images.EnsureUnchanged();
            if (plan.Method.ViaKexecTools) stager.StageWithKexecTools(plan.Load, set, new KexecTools(plan.Method.Program ?? services.KexecToolsExecutable), plan.Method.LegacySyscall);
            else stager.Stage(plan.Load, set);
        }
        try
        {
            StagedKernel? staged = NoteStaged(plan, services, events);
            events.Staged(plan.Load);
            return (warnings, staged, kexec);
        }
        catch (RekernelException)
        {
            // A kernel staged but not journaled would be switched into without `verify` knowing what it was: the
            // operation fails, so it leaves nothing staged.
            stager.Unload();
            throw;
        }
    }

    private static IReadOnlyList<Finding> Preflight(StagePlan plan, OpenedImages images, MachineServices services, OperationEvents events, bool staging)
    {
        IReadOnlyList<Finding> warnings = new Preflight(plan.Machine, services.EffectiveUid()).Check(plan.Load.Entry, images, staging, plan.Method);
        foreach (Finding w in warnings) events.Warning(w);
        return warnings;
    }

    /// <summary>Bytes copied into memory files: several initrds, or a UKI's sections; none when the files are passed as they are.</summary>
    private static long CopyBytes(OpenedImages images, BootEntry entry) =>
        entry.Uki is not null || images.Initrds.Length > 1
            ? images.Initrds.Sum(f => f.Size) + (entry.Uki is null ? 0 : images.Kernel.Size)
            : 0;

    private static StagedKernel? NoteStaged(StagePlan plan, MachineServices services, OperationEvents events)
    {
        if (plan.Machine.BootId is not { } bootId)
        {
            events.Warning(new Finding($"cannot read {Machine.RunningSystem.BootIdPath}; `rekernel verify` will not know the staged version."));
            return null;
        }
        LoadPlan load = plan.Load;
        var staged = new StagedKernel
        {
            Version = load.Entry.Version ?? load.Entry.Title,
            EntryId = load.Entry.Id,
            KernelPath = load.Kernel,
            Initrds = load.Initrds,
            Cmdline = load.Cmdline,
            Token = plan.Token,
            StagedAt = services.Clock.GetUtcNow(),
            BootId = bootId,
            From = plan.Machine.Release,
            Loader = plan.Method.Loader,
            LoaderReason = plan.Method.Reason,
        };
        SwitchJournal journal = services.Journal();
        // The snapshot first: a staged record must never outlive a failed staging, a stale snapshot is ignored by its boot id.
        journal.RecordHealth(HealthProbe.Take(plan.Machine, bootId, staged.StagedAt, services.FailedUnits));
        journal.RecordStaged(staged);
        return staged;
    }
}
