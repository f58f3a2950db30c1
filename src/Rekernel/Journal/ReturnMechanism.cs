namespace Rekernel.Journal;

/// <summary>How the next firmware boot is made to start the kernel that ran before a switch, once.</summary>
public enum ReturnMechanism
{
    /// <summary>GRUB's <c>next_entry</c> in grubenv, as <c>grub-reboot</c> sets it.</summary>
    GrubNextEntry,
    /// <summary>systemd-boot's <c>LoaderEntryOneShot</c> EFI variable, as <c>bootctl set-oneshot</c> sets it.</summary>
    SystemdBootOneShot,
}
