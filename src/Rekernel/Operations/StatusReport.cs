using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Planning;

namespace Rekernel.Operations;

/// <summary>
/// What <c>rekernel status</c> found. <see cref="Staged"/> is what <c>rekernel load</c> recorded in this boot,
/// when a kernel is loaded.
/// </summary>
public sealed record StatusReport(
    string? Running,
    BootInventory Inventory,
    BootEntry? Target,
    bool SwitchPending,
    bool? KexecLoaded,
    StagedKernel? Staged,
    IReadOnlyList<ReadinessCheck> Checks);
