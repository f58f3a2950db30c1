using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary>
/// One line of GRUB's menu as GRUB builds it: a menu entry (with the kernel it boots when it boots one) or a
/// submenu with its own items. Entries that boot no Linux kernel (firmware setup, chainloaders) keep their place
/// because menu indices count them.
/// </summary>
public sealed record GrubMenuItem
{
    public required string Title { get; init; }
    /// <summary>The <c>--id</c> (or the BLS file name for <c>blscfg</c> entries); null when none was given.</summary>
    public string? Id { get; init; }
    public bool IsSubmenu { get; init; }
    /// <summary>The kernel this entry boots, null for submenus and entries that load no Linux kernel.</summary>
    public BootEntry? Entry { get; init; }
    public ImmutableArray<GrubMenuItem> Children { get; init; } = [];
}
