namespace Rekernel.Machine;

/// <summary>The kernel lockdown LSM's mode (<c>/sys/kernel/security/lockdown</c> shows the active one in brackets).</summary>
public enum LockdownMode
{
    None,
    Integrity,
    Confidentiality,
}
