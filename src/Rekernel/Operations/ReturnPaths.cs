using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>
/// The one-shot return path as the use cases need it: planned from the running machine's own boot configuration
/// (never a <c>--root</c> tree: the firmware reboot it guards is this machine's), set right before a jump, cleared
/// when the switch is settled or fails. Setting it is part of the switch, so its failure refuses the switch;
/// clearing it is cleanup, so its failure is a warning.
/// </summary>
internal sealed class ReturnPaths(MachineServices services, OperationEvents events)
{
    private BootRoot Files => new(services.MachineDirectory);

    private ReturnPathWriter Writer => new(Files, services.Programs, services.MachineDirectory == RunningSystem.LiveMachine);

    /// <summary>What a switch would set now on <paramref name="machine"/>, or why nothing.</summary>
    public ReturnRoute Plan(RunningSystem machine)
    {
        BootRoot files = Files;
        return ReturnRouteFinder.Find(files, services.Discover(files), machine);
    }

    public void Set(ReturnPath path)
    {
        try
        {
            Writer.Set(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            ThrowHelper.Refuse($"cannot set {Describe(path)} ({ex.Message.TrimEnd('.')}), so a failed switch would reboot into the bootloader default; nothing was switched: fix {path.File} and retry");
        }
    }

    /// <summary>Clears <paramref name="path"/> (null: nothing to clear) when it still holds what was written.</summary>
    public void Clear(ReturnPath? path)
    {
        if (path is null) return;
        try
        {
            Writer.Clear(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            events.Warning(new Finding($"cannot clear {Describe(path)} ({ex.Message.TrimEnd('.')}), so the next firmware reboot starts '{path.Entry}' once instead of the bootloader default; clear it by hand."));
        }
    }

    private static string Describe(ReturnPath path) => path.Mechanism == ReturnMechanism.GrubNextEntry
        ? $"GRUB's next_entry in {path.File}"
        : $"systemd-boot's {ReturnRouteFinder.OneShotVariable} EFI variable";
}
