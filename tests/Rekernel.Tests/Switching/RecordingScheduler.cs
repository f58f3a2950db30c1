using Rekernel.Switching;

namespace Rekernel.Tests.Switching;

/// <summary>Stands in for logind's scheduled shutdown.</summary>
public sealed class RecordingScheduler : IShutdownScheduler
{
    public DateTimeOffset? ScheduledAt { get; private set; }
    public int Cancels { get; private set; }

    public void Schedule(DateTimeOffset at) => ScheduledAt = at;

    public bool Cancel()
    {
        Cancels++;
        bool had = ScheduledAt is not null;
        ScheduledAt = null;
        return had;
    }
}
