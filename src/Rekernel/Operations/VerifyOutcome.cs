namespace Rekernel.Operations;

/// <summary>What <see cref="Verify"/> found, in the order it decides: each later one needs the earlier ones passed.</summary>
public enum VerifyOutcome
{
    /// <summary>No switch is pending.</summary>
    Nothing,
    /// <summary>A switch is pending, but the machine has not rebooted since it was requested.</summary>
    Pending,
    /// <summary>The machine runs the kernel it was switched to, came up through this kexec, and is healthy.</summary>
    Success,
    /// <summary>The machine came back on another kernel (the old one, after the new one panicked).</summary>
    Fallback,
    /// <summary>The target kernel runs, but came up through a firmware reboot, not this kexec.</summary>
    FirmwareReboot,
    /// <summary>The target kernel came up through this kexec, but a health check failed.</summary>
    Unhealthy,
}
