namespace Rekernel.Discovery.Grub;

/// <summary>
/// A <c>menuentry</c> or <c>submenu</c> as the menu script defines it: GRUB keeps the block's text and runs it
/// only when the item is chosen, after the whole script has run, with <c>$1</c>, <c>$2</c>... set to the title
/// and the item's further arguments (grub_cmd_menuentry's <c>setparams</c> prefix).
/// </summary>
internal sealed class PendingMenuItem
{
    public required string Title { get; init; }
    public string? Id { get; init; }
    /// <summary>The titles from the top menu down to this item, joined by <c>&gt;</c>.</summary>
    public required string Path { get; init; }
    /// <summary>The block to run when chosen; null for an entry blscfg added, whose <see cref="Entry"/> is known.</summary>
    public GrubMenuNode? Node { get; init; }
    /// <summary>The file that defined the item (paths in its block are relative to it).</summary>
    public required string File { get; init; }
    public IReadOnlyList<string> Parameters { get; init; } = [];
    public BootEntry? Entry { get; init; }
}
