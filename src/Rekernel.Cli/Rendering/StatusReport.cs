using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Planning;

namespace Rekernel.Cli.Rendering;

/// <summary>
/// What <c>rekernel status</c> found, ready to render as text or JSON. <see cref="Staged"/> is what
/// <c>rekernel load</c> recorded in this boot, when a kernel is loaded.
/// </summary>
public sealed record StatusReport(
    string? Running,
    BootInventory Inventory,
    BootEntry? Target,
    bool SwitchPending,
    bool? KexecLoaded,
    StagedKernel? Staged,
    IReadOnlyList<ReadinessCheck> Checks)
{
    public EntryMarks Marks => new(Inventory.Default, Running);
}
