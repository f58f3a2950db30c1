namespace Rekernel.Operations;

/// <summary>What <see cref="Verify"/> found.</summary>
public enum VerifyOutcome
{
    /// <summary>No switch is pending.</summary>
    Nothing,
    /// <summary>A switch is pending, but the machine has not rebooted since it was requested.</summary>
    Pending,
    /// <summary>The machine runs the kernel it was switched to.</summary>
    Success,
    /// <summary>The machine came back on another kernel.</summary>
    Failed,
}
