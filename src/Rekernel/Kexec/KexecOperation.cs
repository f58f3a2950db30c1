namespace Rekernel.Kexec;

/// <summary>Which kexec call failed, so an errno can be explained in its context.</summary>
public enum KexecOperation
{
    Load,
    Unload,
    Reboot,
}
