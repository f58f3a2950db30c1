namespace Rekernel.Switching;

/// <summary>Asks the system to switch into the staged kernel at a later time, or to forget that request.</summary>
public interface IShutdownScheduler
{
    void Schedule(DateTimeOffset at);

    /// <summary>Cancels a scheduled shutdown; false when none was scheduled.</summary>
    bool Cancel();
}
