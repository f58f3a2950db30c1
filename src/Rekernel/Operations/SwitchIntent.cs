using Rekernel.Journal;

namespace Rekernel.Operations;

/// <summary>The switch about to be made, as the user is asked to confirm it: from which kernel to which, how and when.</summary>
/// <param name="To">The staged kernel's release; null when something other than <c>rekernel load</c> staged it.</param>
/// <param name="At">The scheduled time (<see cref="SwitchMode.Scheduled"/> only).</param>
public sealed record SwitchIntent(string From, string? To, SwitchMode Mode, DateTimeOffset? At);
