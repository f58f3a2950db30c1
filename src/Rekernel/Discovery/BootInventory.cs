using System.Collections.Immutable;

namespace Rekernel.Discovery;

/// <summary>Everything bootable on a machine: entries newest first, the one the bootloader would pick, and what was wrong.</summary>
/// <param name="Bootloader">The bootloader whose configuration decided the default.</param>
public sealed record BootInventory(
    ImmutableArray<BootEntry> Entries,
    BootEntry? Default,
    Bootloader Bootloader,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>GRUB's menu as a tree (submenus, ids) when GRUB is the bootloader; null otherwise.</summary>
    public Grub.GrubMenu? Grub { get; init; }

    /// <summary>The entry with the newest kernel the bootloader can load (see <see cref="BootEntry.LoadProblem"/>), or null when there is none.</summary>
    public BootEntry? Newest => Entries.FirstOrDefault(e => e.LoadProblem is null);
}
