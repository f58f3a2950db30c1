using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Planning;
using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>
/// What <c>rekernel status</c> found. <see cref="Staged"/> is what <c>rekernel load</c> recorded in this boot,
/// when a kernel is loaded; <see cref="ReturnRoute"/> is the return path a switch would set now, or why none.
/// </summary>
public sealed record StatusReport(
    string? Running,
    BootInventory Inventory,
    BootEntry? Target,
    bool SwitchPending,
    bool? KexecLoaded,
    StagedKernel? Staged,
    IReadOnlyList<ReadinessCheck> Checks,
    ReturnRoute ReturnRoute);
