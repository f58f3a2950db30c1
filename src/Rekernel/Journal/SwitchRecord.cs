using Rekernel.Health;

namespace Rekernel.Journal;

/// <summary>
/// One switch in the journal. <see cref="BootId"/> is the boot that requested it, so a later <c>verify</c>
/// can tell whether a reboot has happened since.
/// </summary>
public sealed record SwitchRecord
{
    /// <summary>The kernel release running when the switch was requested.</summary>
    public required string FromVersion { get; init; }

    /// <summary>The staged kernel's release; null when a kernel was staged by something other than <c>rekernel load</c>.</summary>
    public string? ToVersion { get; init; }

    public string? EntryId { get; init; }
    public string? KernelPath { get; init; }
    public string? Cmdline { get; init; }

    /// <summary>The id of the <c>rekernel.switch=</c> token the staged kernel carries; null when unknown (not staged by <c>rekernel load</c>).</summary>
    public string? Token { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>When logind was asked to start the switch (<see cref="SwitchMode.Scheduled"/> only).</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    public required SwitchMode Mode { get; init; }
    public SwitchOutcome Outcome { get; init; } = SwitchOutcome.Pending;
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>From the moment the switch began to the start of the next boot, in seconds.</summary>
    public double? DowntimeSeconds { get; init; }

    /// <summary><c>/proc/sys/kernel/random/boot_id</c> of the boot that requested the switch.</summary>
    public required string BootId { get; init; }

    /// <summary>The one-shot return path set before the jump; null when there is none (or it was cleared since).</summary>
    public ReturnPath? ReturnPath { get; init; }

    /// <summary>Why a switch did not succeed, in one sentence; null otherwise.</summary>
    public string? Detail { get; init; }

    /// <summary>What staged the kernel (<see cref="StagedKernel.Loader"/>) and why; null when unknown.</summary>
    public string? Loader { get; init; }
    public string? LoaderReason { get; init; }

    /// <summary>The health checks <c>verify</c> ran after the switch (none when it did not come up through the kexec).</summary>
    public IReadOnlyList<HealthCheck> Checks { get; init; } = [];

    /// <summary>The moment the machine was meant to go down: the scheduled time, else the request time.</summary>
    public DateTimeOffset SwitchStartedAt => ScheduledFor ?? RequestedAt;

    /// <summary>A pending record of a switch to <paramref name="staged"/> (null: staged by something else), with what staging recorded.</summary>
    public static SwitchRecord Of(StagedKernel? staged, string from, string? to, DateTimeOffset requestedAt, SwitchMode mode, string bootId) => new()
    {
        FromVersion = from,
        ToVersion = to,
        EntryId = staged?.EntryId,
        KernelPath = staged?.KernelPath,
        Cmdline = staged?.Cmdline,
        Token = staged?.Token,
        RequestedAt = requestedAt,
        Mode = mode,
        BootId = bootId,
        Loader = staged?.Loader,
        LoaderReason = staged?.LoaderReason,
    };
}
