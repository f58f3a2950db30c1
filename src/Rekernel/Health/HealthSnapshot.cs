namespace Rekernel.Health;

/// <summary>
/// What a healthy machine looks like at one moment: the devices with a driver, the network interfaces that are
/// up, whether a crash kernel is loaded, and the failed systemd units. Taken when a kernel is staged, kept in the
/// state directory across the kexec, and taken again by <c>verify</c> to compare.
/// </summary>
public sealed record HealthSnapshot
{
    /// <summary>The boot the snapshot was taken in; verify uses only the one of the boot that requested the switch.</summary>
    public required string BootId { get; init; }

    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>Ordered by bus, then device.</summary>
    public required IReadOnlyList<BoundDevice> Devices { get; init; }

    /// <summary>Interfaces other than <c>lo</c> that are up, by name.</summary>
    public required IReadOnlyList<string> InterfacesUp { get; init; }

    public required bool CrashKernelLoaded { get; init; }

    /// <summary>The units systemd lists as failed; null when systemd could not be asked.</summary>
    public IReadOnlyList<string>? FailedUnits { get; init; }
}
