using System.Collections.Immutable;

namespace Rekernel.Discovery.Grub;

/// <summary>A simple command: its words, not yet expanded.</summary>
internal sealed record GrubCommandNode(int Line, ImmutableArray<GrubToken> Words) : GrubNode(Line);
