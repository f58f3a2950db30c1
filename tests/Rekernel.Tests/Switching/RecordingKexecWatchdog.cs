using Rekernel.Switching;

namespace Rekernel.Tests.Switching;

/// <summary>Stands in for systemd's KExecWatchdogUSec: records each timeout it was armed with, or fails like the bus would.</summary>
public sealed class RecordingKexecWatchdog : IKexecWatchdog
{
    public List<TimeSpan> Armed { get; } = [];
    public RekernelException? Failure { get; set; }

    public void Arm(TimeSpan timeout)
    {
        if (Failure is not null) throw Failure;
        Armed.Add(timeout);
    }
}
