using Rekernel.Kexec;

namespace Rekernel.Operations;

/// <summary><c>rekernel unload</c>: drop the staged kernel and its record, so a later reboot goes through firmware as usual.</summary>
public sealed class Unload(MachineServices services, OperationEvents events)
{
    /// <summary>Whether a kernel was staged (null when that could not be read).</summary>
    public bool? Run()
    {
        using var held = services.Lock("rekernel unload", events);
        bool? wasStaged = new Stager(services.Kexec(services.Machine())).Unload();
        services.Journal().ClearStaged();
        return wasStaged;
    }
}
