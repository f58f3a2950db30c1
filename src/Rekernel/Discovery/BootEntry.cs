using System.Collections.Immutable;
using Rekernel.Images;

namespace Rekernel.Discovery;

/// <summary>
/// One bootable kernel as a bootloader would start it. Paths are absolute paths inside the
/// <see cref="BootRoot"/> (for example <c>/boot/vmlinuz-6.1.0-53-amd64</c>), never host paths.
/// </summary>
public sealed record BootEntry
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>The kernel release (<c>uname -r</c> form) when it is known.</summary>
    public string? Version { get; init; }
    public required string Kernel { get; init; }
    public ImmutableArray<string> Initrds { get; init; } = [];
    /// <summary>The entry's own command line; null when the entry carries none (the running one is reused).</summary>
    public string? Cmdline { get; init; }
    public required BootEntrySource Source { get; init; }
    /// <summary>For a UKI: where its <c>.linux</c> and <c>.initrd</c> sections lie inside <see cref="Kernel"/>.</summary>
    public UkiLayout? Uki { get; init; }
    /// <summary>BLS <c>sort-key</c>.</summary>
    public string? SortKey { get; init; }
    /// <summary>BLS <c>machine-id</c>.</summary>
    public string? MachineId { get; init; }
    /// <summary>Boot counting (<c>+LEFT-DONE</c> in the file name): tries left, or null when the entry is not counted.</summary>
    public int? TriesLeft { get; init; }
    /// <summary>Boot counting: tries done so far, or null when the entry is not counted.</summary>
    public int? TriesDone { get; init; }
    /// <summary>Where the entry was defined, as <c>file:line</c> inside the root.</summary>
    public string? Origin { get; init; }
    /// <summary>
    /// Why the bootloader would fail to load this entry (<c>linux (uuid</c> without its <c>)</c>, a kernel path that
    /// is a directory); null when it can. Such an entry is listed, with a diagnostic, but never the default or a target.
    /// </summary>
    public string? LoadProblem { get; init; }
}
