using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

internal sealed record GrubIfNode(int Line, ImmutableArray<GrubIfBranch> Branches, ImmutableArray<GrubNode> Else) : GrubNode(Line);
