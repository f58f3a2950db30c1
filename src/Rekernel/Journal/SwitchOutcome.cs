namespace Rekernel.Journal;

/// <summary>What became of a switch, as <c>rekernel verify</c> (or a cancel) settled it.</summary>
public enum SwitchOutcome
{
    /// <summary>Requested; no later boot has checked it yet.</summary>
    Pending,
    /// <summary>The machine came back on the kernel it was switched to.</summary>
    Success,
    /// <summary>The switch did not happen or the machine came back on another kernel.</summary>
    Failed,
    /// <summary>A scheduled switch was cancelled, or replaced by a newer request in the same boot.</summary>
    Cancelled,
    /// <summary>A newer switch was requested after a reboot before anyone ran <c>verify</c>.</summary>
    Unverified,
}
