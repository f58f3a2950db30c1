using System.Collections.Immutable;

namespace Rekernel.Discovery;

/// <summary>Everything bootable on a machine: entries newest first, the one the bootloader would pick, and what was wrong.</summary>
/// <param name="Bootloader">The bootloader whose configuration decided the order and default: <c>grub</c>, <c>systemd-boot</c> or <c>none</c>.</param>
public sealed record BootInventory(
    ImmutableArray<BootEntry> Entries,
    BootEntry? Default,
    string Bootloader,
    ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The entry with the newest kernel (the first of <see cref="Entries"/>), or null when nothing is bootable.</summary>
    public BootEntry? Newest => Entries.IsEmpty ? null : Entries[0];
}
