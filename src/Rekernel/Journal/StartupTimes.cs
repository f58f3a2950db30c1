namespace Rekernel.Journal;

/// <summary>
/// <c>systemd-analyze</c>'s "Startup finished in …" line, in seconds: firmware and loader only on EFI with a loader
/// that reports them, initrd only when one ran; <see cref="UntilMultiUser"/> from "multi-user.target reached after".
/// </summary>
public sealed record StartupTimes
{
    public double? Firmware { get; init; }
    public double? Loader { get; init; }
    public required double Kernel { get; init; }
    public double? Initrd { get; init; }
    public required double Userspace { get; init; }
    public required double Total { get; init; }
    public double? UntilMultiUser { get; init; }

    /// <summary>From the kernel's start to init in the real root: kernel plus initrd.</summary>
    public double KernelUntilInit => Kernel + (Initrd ?? 0);
}
