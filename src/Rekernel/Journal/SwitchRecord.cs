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

    /// <summary>The moment the machine was meant to go down: the scheduled time, else the request time.</summary>
    public DateTimeOffset SwitchStartedAt => ScheduledFor ?? RequestedAt;
}
