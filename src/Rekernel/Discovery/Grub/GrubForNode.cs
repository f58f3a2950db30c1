using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary><c>for NAME in WORDS; do BODY; done</c>; without <c>in</c> the loop runs over the positional parameters.</summary>
internal sealed record GrubForNode(int Line, string Variable, bool HasIn, ImmutableArray<GrubToken> Words, ImmutableArray<GrubNode> Body) : GrubNode(Line);
