using Rekernel.Discovery;

namespace Rekernel.Switching;

/// <summary>What runs as PID 1, read inside a <see cref="BootRoot"/>.</summary>
public static class InitSystem
{
    /// <summary>
    /// Whether systemd is PID 1: <c>/run/systemd/system</c> exists (the test <c>sd_booted()</c> uses) or
    /// <c>/proc/1/comm</c> says systemd.
    /// </summary>
    public static bool IsSystemd(BootRoot root) =>
        root.DirectoryExists("/run/systemd/system") || new RunningSystem(root).Line("/proc/1/comm") == "systemd";
}
