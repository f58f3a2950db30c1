using System.Collections.Immutable;

namespace Rekernel.Discovery.Uki;

/// <summary>The Unified Kernel Images found on a root's ESP candidates, and what was skipped and why.</summary>
public sealed record UkiScan(ImmutableArray<BootEntry> Entries, ImmutableArray<Diagnostic> Diagnostics);
