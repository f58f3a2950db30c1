using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary><c>while</c> (or, with <see cref="Until"/>, <c>until</c>) <c>CONDITION; do BODY; done</c>.</summary>
internal sealed record GrubLoopNode(int Line, bool Until, ImmutableArray<GrubNode> Condition, ImmutableArray<GrubNode> Body) : GrubNode(Line);
