using System.Globalization;

namespace Rekernel.Health;

/// <summary>
/// Compares the snapshot taken at staging with one taken after the switch: the checks "drivers", "network",
/// "kdump" and "units". Only losses fail a check; a device, interface or crash kernel the new boot has in addition is fine.
/// </summary>
public static class HealthComparison
{
    /// <summary>At most this many items are named in a detail; the rest are counted.</summary>
    private const int NamedLosses = 5;

    public static IReadOnlyList<HealthCheck> Compare(HealthSnapshot before, HealthSnapshot after) =>
        [Drivers(before, after), Network(before, after), Kdump(before, after), Units(before, after)];

    /// <summary>Every device that had a driver still has one; a device that is gone altogether lost its driver too.</summary>
    public static HealthCheck Drivers(HealthSnapshot before, HealthSnapshot after)
    {
        var now = after.Devices.Select(d => (d.Bus, d.Device)).ToHashSet();
        string[] lost = [.. before.Devices.Where(d => !now.Contains((d.Bus, d.Device))).Select(d => $"{d.Device} on bus {d.Bus} lost its driver {d.Driver}")];
        return lost.Length == 0
            ? new HealthCheck("drivers", true, $"all {Count(before.Devices.Count, before.Devices.Count == 1 ? "device" : "devices")} that had a driver when the kernel was staged have one")
            : new HealthCheck("drivers", false, Listing(lost));
    }

    public static HealthCheck Network(HealthSnapshot before, HealthSnapshot after)
    {
        string[] down = [.. before.InterfacesUp.Except(after.InterfacesUp, StringComparer.Ordinal)];
        if (down.Length > 0)
            return new HealthCheck("network", false, $"{Listing(down)} {(down.Length == 1 ? "was" : "were")} up when the kernel was staged and {(down.Length == 1 ? "is" : "are")} not up now");
        return new HealthCheck("network", true, before.InterfacesUp.Count == 0
            ? "no interface besides lo was up when the kernel was staged"
            : $"{Listing(before.InterfacesUp)} {(before.InterfacesUp.Count == 1 ? "is" : "are")} up again");
    }

    public static HealthCheck Kdump(HealthSnapshot before, HealthSnapshot after) => (before.CrashKernelLoaded, after.CrashKernelLoaded) switch
    {
        (false, _) => new HealthCheck("kdump", true, "no crash kernel was loaded when the kernel was staged"),
        (true, true) => new HealthCheck("kdump", true, "the crash kernel is loaded again"),
        (true, false) => new HealthCheck("kdump", false,
            $"a crash kernel was loaded when the kernel was staged and none is now ({Machine.RunningSystem.CrashKernelLoadedFile}): kdump did not re-arm, check its service (kdump-tools or kdump)"),
    };

    public static HealthCheck Units(HealthSnapshot before, HealthSnapshot after)
    {
        if (before.FailedUnits is not { } old)
            return new HealthCheck("units", true, "not checked: systemd could not be asked for failed units when the kernel was staged");
        if (after.FailedUnits is not { } current)
            return new HealthCheck("units", false, $"systemd could not be asked for failed units (systemctl {string.Join(' ', FailedUnits.Arguments)} failed)");
        string[] failed = [.. current.Except(old, StringComparer.Ordinal)];
        return failed.Length == 0
            ? new HealthCheck("units", true, "no unit failed that had not failed before")
            : new HealthCheck("units", false, $"{Listing(failed)} failed, and had not when the kernel was staged");
    }

    /// <summary>"a", "a and b", "a, b and c"; beyond <see cref="NamedLosses"/> items the rest are counted ("… and 3 more").</summary>
    private static string Listing(IReadOnlyList<string> items)
    {
        if (items.Count > NamedLosses) return $"{string.Join(", ", items.Take(NamedLosses))} and {Count(items.Count - NamedLosses, "more")}";
        return items.Count == 1 ? items[0] : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun;
}
