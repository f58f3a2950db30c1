using Rekernel.Journal;

namespace Rekernel.Operations;

/// <summary>What <see cref="Upgrade"/> planned and did.</summary>
/// <param name="Mode">How the switch is (or, for a dry run, would be) made.</param>
/// <param name="Switch">The journaled switch, when one was started.</param>
public sealed record UpgradeResult(UpgradeOutcome Outcome, StagePlan Plan, SwitchMode Mode, IReadOnlyList<Finding> Warnings, SwitchRecord? Switch);
