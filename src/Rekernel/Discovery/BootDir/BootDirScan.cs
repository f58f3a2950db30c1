using System.Collections.Immutable;

namespace Rekernel.Discovery.BootDir;

/// <summary>The kernels found as plain files in <c>/boot</c>, and what was skipped and why.</summary>
public sealed record BootDirScan(ImmutableArray<BootEntry> Entries, ImmutableArray<Diagnostic> Diagnostics);
