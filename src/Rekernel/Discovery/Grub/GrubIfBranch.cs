using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary>One <c>if</c>/<c>elif</c> arm: the condition list and the body run when its last command succeeds.</summary>
internal readonly record struct GrubIfBranch(ImmutableArray<GrubNode> Condition, ImmutableArray<GrubNode> Body);
