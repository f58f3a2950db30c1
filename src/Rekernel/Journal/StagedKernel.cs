namespace Rekernel.Journal;

/// <summary>
/// What <c>rekernel load</c> staged, kept in <c>staged.json</c> so <c>switch</c> can record where it is going.
/// A staged kernel does not survive a reboot, so a record from another boot is stale.
/// </summary>
public sealed record StagedKernel
{
    public required string Version { get; init; }
    public string? EntryId { get; init; }
    public required string KernelPath { get; init; }
    public IReadOnlyList<string> Initrds { get; init; } = [];
    public required string Cmdline { get; init; }

    /// <summary>The id of the <c>rekernel.switch=</c> token in <see cref="Cmdline"/>; null in records of older versions.</summary>
    public string? Token { get; init; }
    public required DateTimeOffset StagedAt { get; init; }

    /// <summary>
    /// The release that was running (or assumed with <c>--running</c>) when the kernel was staged, which a
    /// <c>load-only</c> record names as where the machine came from; null in records of older versions.
    /// </summary>
    public string? From { get; init; }

    /// <summary>The boot in which the kernel was staged.</summary>
    public required string BootId { get; init; }

    /// <summary>What loaded it, <c>kexec_file_load</c> or <c>kexec-tools</c> (<see cref="Planning.StagingMethod.Loader"/>); null in records of older versions.</summary>
    public string? Loader { get; init; }

    /// <summary>Why that loader, in one sentence.</summary>
    public string? LoaderReason { get; init; }
}
