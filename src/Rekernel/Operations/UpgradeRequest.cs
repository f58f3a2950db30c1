using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>Stage the chosen kernel and switch into it (<see cref="Upgrade"/>).</summary>
/// <param name="Now">Jump at once; also the config's <c>switch = now</c> when no time is given.</param>
/// <param name="When">Switch at this time through logind.</param>
/// <param name="DryRun">Plan and check only.</param>
/// <param name="Force">Switch even when the target kernel is the one running.</param>
/// <param name="InWindow">Refuse outside the config's maintenance window.</param>
/// <param name="Confirm">Asked before anything is staged; null switches without asking.</param>
public sealed record UpgradeRequest(
    StageRequest Stage,
    bool Now = false,
    SwitchTime? When = null,
    bool DryRun = false,
    bool Force = false,
    bool InWindow = false,
    Func<SwitchIntent, bool>? Confirm = null);
