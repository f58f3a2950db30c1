namespace Rekernel.Journal;

/// <summary>How a switch was carried out.</summary>
public enum SwitchMode
{
    /// <summary>Through systemd's <c>kexec.target</c>: services stop and file systems unmount before the jump.</summary>
    Graceful,
    /// <summary><c>sync</c> then <c>reboot(KEXEC)</c> at once, without stopping services.</summary>
    Now,
    /// <summary>A graceful switch that logind starts at a chosen time.</summary>
    Scheduled,
    /// <summary>
    /// No switch was requested: <c>rekernel load</c> staged the kernel and the machine then rebooted. <c>verify</c>
    /// journals it when the staged release came up anyway, so a firmware reboot onto it is not mistaken for a switch.
    /// </summary>
    LoadOnly,
}
