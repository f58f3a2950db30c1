namespace Rekernel.Journal;

/// <summary>
/// The one-shot entry a switch set so that a firmware reboot (a panic, a watchdog) starts the kernel that was
/// running, not the bootloader default, which after an install is usually the new kernel.
/// </summary>
/// <param name="Entry">The exact value written: a GRUB entry path such as <c>submenu-id&gt;entry-id</c>, or a systemd-boot entry id.</param>
/// <param name="File">Where it was written, inside the machine directory: the grubenv file, or the efivarfs file.</param>
public sealed record ReturnPath(ReturnMechanism Mechanism, string Entry, string File)
{
    /// <summary>The mechanism as JSON names it.</summary>
    public string MechanismName => Mechanism switch
    {
        ReturnMechanism.GrubNextEntry => "grub-next-entry",
        ReturnMechanism.SystemdBootOneShot => "systemd-boot-oneshot",
        _ => throw new ArgumentOutOfRangeException(nameof(Mechanism)),
    };

    /// <summary>The mechanism named <paramref name="name"/> (<see cref="MechanismName"/>), or null.</summary>
    public static ReturnMechanism? MechanismNamed(string name) => name switch
    {
        "grub-next-entry" => ReturnMechanism.GrubNextEntry,
        "systemd-boot-oneshot" => ReturnMechanism.SystemdBootOneShot,
        _ => null,
    };
}
