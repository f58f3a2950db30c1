namespace Rekernel.Config;

/// <summary><c>switch =</c> in rekernel.conf: how <c>upgrade</c> jumps when the command line does not say.</summary>
public enum SwitchPolicy
{
    /// <summary>Through systemd's kexec.target: services stop first.</summary>
    Graceful,
    /// <summary>At once with reboot(KEXEC) after sync: services are not stopped.</summary>
    Now,
}
