namespace Rekernel.Downtime;

/// <summary>
/// <c>systemd-analyze</c>'s "Startup finished in …" line, in seconds: firmware and loader only on EFI with a loader
/// that reports them, initrd only when one ran; <see cref="UntilTarget"/> from "graphical.target reached after …
/// in userspace" (the default target, which is or follows <c>multi-user.target</c>).
/// </summary>
public sealed record StartupTimes
{
    public double? Firmware { get; init; }
    public double? Loader { get; init; }
    public required double Kernel { get; init; }
    public double? Initrd { get; init; }
    public required double Userspace { get; init; }
    public required double Total { get; init; }

    /// <summary>The target systemd-analyze names (the default target), e.g. <c>graphical.target</c>.</summary>
    public string? Target { get; init; }

    /// <summary>Userspace time until <see cref="Target"/> was reached; null when systemd did not say.</summary>
    public double? UntilTarget { get; init; }

    /// <summary>Userspace until the default target, else the whole userspace phase.</summary>
    public double UserspaceUntilTarget => UntilTarget ?? Userspace;

    /// <summary>From the kernel's start to init in the real root: kernel plus initrd.</summary>
    public double KernelUntilInit => Kernel + (Initrd ?? 0);
}
