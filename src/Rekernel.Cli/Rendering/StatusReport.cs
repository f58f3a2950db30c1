using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Cli.Rendering;

/// <summary>What <c>rekernel status</c> found, ready to render as text or JSON.</summary>
public sealed record StatusReport(
    string? Running,
    BootInventory Inventory,
    BootEntry? Target,
    bool SwitchPending,
    bool? KexecLoaded,
    IReadOnlyList<ReadinessCheck> Checks)
{
    public EntryMarks Marks => new(Inventory.Default, Running);
}
