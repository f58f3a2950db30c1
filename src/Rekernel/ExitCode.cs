namespace Rekernel;

/// <summary>The documented exit codes of <c>rekernel</c> (see rekernel(8)).</summary>
public enum ExitCode
{
    Success = 0,
    /// <summary><c>status --check</c>: a newer kernel is the target and a switch is pending.</summary>
    SwitchPending = 1,
    /// <summary>Bad command line.</summary>
    Usage = 2,
    /// <summary>The requested kernel or boot entry does not exist, or nothing is staged.</summary>
    NotFound = 3,
    /// <summary>A preflight check refused the operation; the machine is unchanged.</summary>
    Refused = 4,
    /// <summary>The kernel refused a kexec system call.</summary>
    KexecFailed = 5,
    /// <summary>Another rekernel holds the lock.</summary>
    Busy = 6,
    /// <summary>A configuration file is invalid.</summary>
    ConfigError = 7,
    /// <summary><c>verify</c>: the last switch did not come up on the kernel it was meant to.</summary>
    SwitchFailed = 8,
    /// <summary><c>agent</c>, <c>fleet</c>: etcd could not be reached, or refused the request.</summary>
    EtcdFailed = 12,
    /// <summary><c>fleet</c>: the group is halted, or a fleet record in etcd is invalid; nothing was switched.</summary>
    FleetHalted = 13,
    /// <summary>An unexpected internal error (a bug: please report it).</summary>
    Internal = 70,
}
