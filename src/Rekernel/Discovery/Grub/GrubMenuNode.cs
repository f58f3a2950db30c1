using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary><c>menuentry</c> or <c>submenu</c> with its unexpanded arguments and its block.</summary>
internal sealed record GrubMenuNode(int Line, bool IsSubmenu, ImmutableArray<GrubToken> Arguments, ImmutableArray<GrubNode> Body) : GrubNode(Line);
