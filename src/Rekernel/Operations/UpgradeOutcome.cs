namespace Rekernel.Operations;

/// <summary>How an <see cref="Upgrade"/> ended.</summary>
public enum UpgradeOutcome
{
    /// <summary>The target kernel already runs; nothing was done.</summary>
    AlreadyRunning,
    /// <summary>Only planned and checked.</summary>
    DryRun,
    /// <summary>Staged and the switch started (scheduled, handed to systemd, or jumping).</summary>
    Switching,
}
