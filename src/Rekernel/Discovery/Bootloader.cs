namespace Rekernel.Discovery;

/// <summary>The bootloader whose configuration decides the menu order and the default entry.</summary>
public enum Bootloader
{
    /// <summary>No bootloader configuration: kernels in /boot started directly (the <c>/vmlinuz</c> link, else the newest).</summary>
    None,
    /// <summary>GRUB 2 (<c>grub.cfg</c>; its <c>blscfg</c> pulls in BLS entries on Fedora and RHEL 8+).</summary>
    Grub,
    /// <summary>systemd-boot: BLS entries, Unified Kernel Images and <c>loader.conf</c>.</summary>
    SystemdBoot,
}
