using System.Collections.Immutable;
using Rekernel.Discovery;

namespace Rekernel.Operations;

/// <summary>Which kernel to stage and how: the target, changes to its command line, and how it is loaded.</summary>
public sealed record StageRequest
{
    /// <summary>The boot configuration tree the entries come from (<c>/</c>, or a mounted image with <c>--root</c>).</summary>
    public required BootRoot Tree { get; init; }

    /// <summary>The release to assume is running, instead of the machine's (<c>--running</c>).</summary>
    public string? RunningRelease { get; init; }

    /// <summary>A version, entry id, title or kernel path; null for the configured choice.</summary>
    public string? Target { get; init; }

    /// <summary>The newest installed kernel.</summary>
    public bool Latest { get; init; }

    /// <summary>The bootloader's default entry, whatever the config says.</summary>
    public bool Default { get; init; }

    /// <summary>The whole command line instead of the entry's.</summary>
    public string? Cmdline { get; init; }

    /// <summary>Arguments added after the config's <c>append</c>.</summary>
    public ImmutableArray<string> Append { get; init; } = [];

    /// <summary>Keys removed after the config's <c>remove</c>.</summary>
    public ImmutableArray<string> Remove { get; init; } = [];

    /// <summary>Seconds for <c>panic=N</c>; null takes the config's <c>panic_timeout</c>.</summary>
    public int? PanicTimeout { get; init; }

    /// <summary>No <c>panic=N</c> at all.</summary>
    public bool NoPanicReboot { get; init; }

    /// <summary>Load through kexec-tools' program instead of the system call.</summary>
    public bool ViaKexecTools { get; init; }
}
