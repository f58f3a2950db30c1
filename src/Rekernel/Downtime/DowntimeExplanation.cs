using Rekernel.Journal;

namespace Rekernel.Downtime;

/// <summary>
/// Where a switch's downtime went: the shutdown of the old boot (from its journal), the new kernel until init and
/// userspace until <c>multi-user.target</c> (<c>systemd-analyze</c> of the running boot), the rest of the
/// recorded downtime (which ends when the new kernel starts) being the jump itself (kexec, purgatory).
/// </summary>
public sealed record DowntimeExplanation
{
    public required SwitchRecord Switch { get; init; }

    /// <summary>Null when the journal of the switch's boot is gone (volatile journald storage, or rotated away).</summary>
    public ShutdownTimeline? Shutdown { get; init; }

    /// <summary>Null when systemd-analyze has no startup line yet (the boot has not finished).</summary>
    public StartupTimes? Startup { get; init; }

    public required IReadOnlyList<UnitTime> SlowestToStart { get; init; }

    /// <summary>From the moment the switch began to the old boot's last journal line.</summary>
    public double? ShutdownSeconds => Shutdown is { } s ? Math.Max(0, (s.LastEntry - Switch.SwitchStartedAt).TotalSeconds) : null;

    /// <summary>
    /// From the old boot's last journal line to the new kernel's start: the rest of the shutdown (journald stops
    /// early), the kexec jump and the purgatory. The journal's downtime ends when the new kernel starts.
    /// </summary>
    public double? JumpSeconds =>
        Switch.DowntimeSeconds is { } total && ShutdownSeconds is { } down ? Math.Max(0, total - down) : null;

    /// <summary>From the moment the switch began until the new boot reached its default target.</summary>
    public double? UntilTargetSeconds =>
        Switch.DowntimeSeconds is { } total && Startup is { } up ? total + up.KernelUntilInit + up.UserspaceUntilTarget : null;
}
