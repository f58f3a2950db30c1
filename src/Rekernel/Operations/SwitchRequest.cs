using Rekernel.Switching;

namespace Rekernel.Operations;

/// <summary>How to switch into the staged kernel: at once (<see cref="Now"/>), at a time (<see cref="When"/>), else gracefully now.</summary>
/// <param name="Confirm">Asked before anything changes; null switches without asking.</param>
public sealed record SwitchRequest(bool Now = false, SwitchTime? When = null, Func<SwitchIntent, bool>? Confirm = null)
{
    /// <summary>The mode this request asks for.</summary>
    public Journal.SwitchMode Mode => Now ? Journal.SwitchMode.Now
        : When is { IsNow: false } ? Journal.SwitchMode.Scheduled
        : Journal.SwitchMode.Graceful;
}
