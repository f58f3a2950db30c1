namespace Rekernel.Journal;

/// <summary>What became of a switch, as <c>rekernel verify</c> (or a cancel) settled it.</summary>
public enum SwitchOutcome
{
    /// <summary>Requested; no later boot has checked it yet.</summary>
    Pending,
    /// <summary>The machine came up on the kernel it was switched to, through this kexec, healthy.</summary>
    Success,
    /// <summary>The machine came back on another kernel (the old one, after <c>panic=</c> rebooted through firmware); journals of older versions call it "failed".</summary>
    Fallback,
    /// <summary>The target kernel runs, but it came up through a firmware reboot, not this kexec (its token is missing).</summary>
    FirmwareReboot,
    /// <summary>The target kernel came up through this kexec, but a health check failed.</summary>
    Unhealthy,
    /// <summary>The switch did not happen: it failed to start (<see cref="SwitchRecord.Detail"/> says why), a scheduled one was cancelled, or a newer request in the same boot replaced it.</summary>
    Cancelled,
    /// <summary>A newer switch was requested after a reboot before anyone ran <c>verify</c>.</summary>
    Unverified,
}
