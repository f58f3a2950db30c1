namespace Rekernel.Switching;

/// <summary>Arms the hardware watchdog for the jump of a switch through systemd (<c>kexec.target</c>).</summary>
public interface IKexecWatchdog
{
    /// <summary>
    /// Makes systemd-shutdown leave the watchdog counting with <paramref name="timeout"/> when it jumps, unless the
    /// operator already chose a timeout; throws a <see cref="RekernelException"/> when systemd cannot be asked.
    /// </summary>
    void Arm(TimeSpan timeout);
}
