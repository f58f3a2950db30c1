using Rekernel.Discovery;

namespace Rekernel.Operations;

/// <summary>What <see cref="Status"/> reports on: a boot configuration tree, optionally assuming a running release, and which target policy.</summary>
/// <param name="Latest">Take the newest kernel as the target (also the config's <c>target = latest</c>).</param>
public sealed record StatusRequest(BootRoot Tree, string? RunningRelease = null, bool Latest = false);
