using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary>What GRUB would show and boot by default, read from its configuration.</summary>
public sealed record GrubMenu
{
    /// <summary>The configuration whose menu GRUB shows (after following an EFI stub's <c>configfile</c>).</summary>
    public required string ConfigPath { get; init; }
    /// <summary>The menu as a tree, in order, including entries that boot no Linux kernel.</summary>
    public ImmutableArray<GrubMenuItem> Items { get; init; } = [];
    /// <summary>Every Linux entry in menu order, submenus flattened, BLS entries at the place of <c>blscfg</c>.</summary>
    public ImmutableArray<BootEntry> Entries { get; init; } = [];
    /// <summary>The entry GRUB boots by default; null when the menu is empty or the default item loads no Linux kernel.</summary>
    public BootEntry? DefaultEntry { get; init; }
    /// <summary>
    /// The one-shot <c>next_entry</c> in grubenv (what <c>grub-reboot</c>, or rekernel's return path, set for the next
    /// boot only); null when unset. <see cref="DefaultEntry"/> ignores it.
    /// </summary>
    public string? NextEntry { get; init; }
    public ImmutableArray<Diagnostic> Diagnostics { get; init; } = [];
}
