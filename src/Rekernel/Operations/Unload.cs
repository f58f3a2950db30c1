using Rekernel.Journal;
using Rekernel.Kexec;
using Rekernel.Machine;

namespace Rekernel.Operations;

/// <summary>
/// <c>rekernel unload</c>: drop the staged kernel and its record, so a later reboot goes through firmware as usual.
/// A switch requested in this boot cannot happen any more: it is cancelled and its return path cleared, so that
/// reboot starts the bootloader default.
/// </summary>
public sealed class Unload(MachineServices services, OperationEvents events)
{
    /// <summary>Whether a kernel was staged (null when that could not be read).</summary>
    public bool? Run()
    {
        using var held = services.Lock("rekernel unload", events);
        RunningSystem machine = services.Machine();
        bool? wasStaged = new Stager(services.Kexec(machine)).Unload();
        SwitchJournal journal = services.Journal();
        journal.ClearStaged();
        if (journal.Pending is { } pending && pending.BootId == machine.BootId)
        {
            new ReturnPaths(services, events).Clear(pending.ReturnPath);
            journal.Complete(SwitchOutcome.Cancelled, services.Clock.GetUtcNow(), detail: "the staged kernel was unloaded with `rekernel unload`");
        }
        return wasStaged;
    }
}
