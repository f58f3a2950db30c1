using Rekernel.Journal;

namespace Rekernel.Operations;

/// <summary>What <see cref="Verify"/> found and recorded; <see cref="Switch"/> is the settled (or still pending) switch.</summary>
/// <param name="Running">The release this boot runs.</param>
public sealed record VerifyResult(VerifyOutcome Outcome, SwitchRecord? Switch, string? Running);
