using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Planning;
using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>
/// What <c>rekernel status</c> found. <see cref="Staged"/> is what <c>rekernel load</c> recorded in this boot,
/// when a kernel is loaded; <see cref="ReturnRoute"/> is the return path a switch would set now, or why none;
/// <see cref="Watchdog"/> whether a hardware watchdog would guard the switch the config chooses (<c>switch</c>).
/// </summary>
public sealed record StatusReport(
    string? Running,
    BootInventory Inventory,
    BootEntry? Target,
    bool SwitchPending,
    bool? KexecLoaded,
    StagedKernel? Staged,
    IReadOnlyList<ReadinessCheck> Checks,
    ReturnRoute ReturnRoute,
    WatchdogGuard Watchdog);
