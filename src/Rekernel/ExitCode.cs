namespace Rekernel;

/// <summary>The documented exit codes of <c>rekernel</c> (see rekernel(8)).</summary>
public enum ExitCode
{
    Success = 0,
    /// <summary><c>status --check</c>: a newer kernel is the target and a switch is pending; <c>verify</c>: the machine has not rebooted since the switch was requested.</summary>
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
    /// <summary><c>verify</c>: the machine came back on the old (or another) kernel, not the one it was switched to.</summary>
    SwitchFailed = 8,
    /// <summary><c>verify</c>: the target kernel runs but came up through a firmware reboot, not this kexec (its token is missing from /proc/cmdline).</summary>
    NotKexec = 9,
    /// <summary><c>verify</c>: the target kernel came up through this kexec, but a health check failed.</summary>
    Unhealthy = 10,
    /// <summary><c>verify</c>: no switch is pending.</summary>
    NothingToVerify = 11,
    /// <summary><c>agent</c>, <c>fleet</c>: etcd could not be reached, or refused the request.</summary>
    EtcdFailed = 12,
    /// <summary><c>fleet</c>: the group is halted, or a fleet record in etcd is invalid; nothing was switched.</summary>
    FleetHalted = 13,
    /// <summary>An unexpected internal error (a bug: please report it).</summary>
    Internal = 70,
}
