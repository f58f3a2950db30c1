using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>What <see cref="Upgrade"/> planned and did.</summary>
/// <param name="Mode">How the switch is (or, for a dry run, would be) made.</param>
/// <param name="Switch">The journaled switch, when one was started.</param>
/// <param name="ReturnRoute">For a dry run, the return path the switch would set (or why none); null otherwise (the started switch records its own).</param>
/// <param name="Watchdog">For a dry run, whether a hardware watchdog would guard that switch's jump; null otherwise.</param>
public sealed record UpgradeResult(UpgradeOutcome Outcome, StagePlan Plan, SwitchMode Mode, IReadOnlyList<Finding> Warnings, SwitchRecord? Switch,
    ReturnRoute? ReturnRoute = null, WatchdogGuard? Watchdog = null);
