using System.Collections.Immutable;

namespace Rekernel.Discovery.Bls;

/// <summary>What <see cref="BlsReader.Read"/> found.</summary>
/// <param name="Entries">Bootable entries in systemd-boot's menu order.</param>
/// <param name="Files">The parsed entry files behind <paramref name="Entries"/>, in the same order.</param>
/// <param name="Diagnostics">Bad lines and skipped entries, with file and line.</param>
public sealed record BlsScan(ImmutableArray<BootEntry> Entries, ImmutableArray<BlsEntry> Files, ImmutableArray<Diagnostic> Diagnostics)
{
    public static readonly BlsScan Empty = new([], [], []);
}
