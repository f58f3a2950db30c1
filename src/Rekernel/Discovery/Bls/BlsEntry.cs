using System.Collections.Immutable;

namespace Rekernel.Discovery.Bls;

/// <summary>
/// One Boot Loader Specification type #1 entry as written in its <c>.conf</c> file: <c>$var</c> in
/// <c>options</c> and <c>initrd</c> is kept, for the bootloader to expand. Paths are as written (relative to
/// <see cref="PartitionRoot"/>), normalised unless they name a variable.
/// </summary>
public sealed record BlsEntry
{
    /// <summary>The file name without the boot-counting suffix and without <c>.conf</c>.</summary>
    public required string Id { get; init; }
    /// <summary>The entry file, inside the root.</summary>
    public required string Path { get; init; }
    /// <summary>The partition root the entry's paths are relative to (<c>/boot</c>, <c>/efi</c>, <c>/boot/efi</c>).</summary>
    public required string PartitionRoot { get; init; }
    public string? Title { get; init; }
    public string? Version { get; init; }
    public string? MachineId { get; init; }
    public string? SortKey { get; init; }
    public string? Linux { get; init; }
    /// <summary>Line of the <c>linux</c> (or <c>efi</c>) key, for diagnostics.</summary>
    public int LoaderLine { get; init; }
    public string? Efi { get; init; }
    /// <summary>The <c>initrd</c> values in order; one naming a variable (<c>$tuned_initrd</c>) is kept as written.</summary>
    public ImmutableArray<string> Initrds { get; init; } = [];
    /// <summary>All <c>options</c> lines joined with a space, variables unexpanded; null when there are none.</summary>
    public string? Options { get; init; }
    public string? Devicetree { get; init; }
    public ImmutableArray<string> DevicetreeOverlays { get; init; } = [];
    public string? Architecture { get; init; }
    public BootCounter? Tries { get; init; }
}
