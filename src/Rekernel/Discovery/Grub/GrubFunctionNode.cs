using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary><c>function NAME { ... }</c>: recorded when run, executed only when called.</summary>
internal sealed record GrubFunctionNode(int Line, string Name, ImmutableArray<GrubNode> Body) : GrubNode(Line);
