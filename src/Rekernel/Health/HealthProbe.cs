using System.Globalization;
using Rekernel.Machine;

namespace Rekernel.Health;

/// <summary>
/// Takes a <see cref="HealthSnapshot"/> of a running machine from its <c>/sys</c> (under the machine directory, a
/// fixture tree in tests) and from systemd. Only links and small attribute files are read, so a snapshot costs
/// milliseconds (bench/RESULTS.md, "health snapshot").
/// </summary>
public static class HealthProbe
{
    /// <summary>The <c>IFF_UP</c> bit of <c>/sys/class/net/IF/flags</c> (linux/if.h): the interface was brought up.</summary>
    private const int IffUp = 0x1;

    /// <param name="failedUnits">Asks systemd for its failed units; null when it cannot be asked.</param>
    public static HealthSnapshot Take(RunningSystem machine, string bootId, DateTimeOffset now, Func<IReadOnlyList<string>?> failedUnits) => new()
    {
        BootId = bootId,
        TakenAt = now,
        Devices = BoundDevices(machine.Directory),
        InterfacesUp = InterfacesUp(machine),
        CrashKernelLoaded = machine.CrashKernelLoaded == true,
        FailedUnits = failedUnits(),
    };

    /// <summary>Every device of every bus whose <c>driver</c> link exists, ordered by bus and device.</summary>
    public static IReadOnlyList<BoundDevice> BoundDevices(string machineDirectory)
    {
        var bound = new List<BoundDevice>();
        foreach (string bus in Entries(Path.Join(machineDirectory, "sys/bus")))
        {
            foreach (string device in Entries(Path.Join(bus, "devices")))
            {
                // The link's last component is the driver's name (…/bus/virtio/drivers/virtio_net); nothing is followed.
                if (new FileInfo(Path.Join(device, "driver")).LinkTarget is { } target)
                    bound.Add(new BoundDevice(Path.GetFileName(bus), Path.GetFileName(device), Path.GetFileName(target)));
            }
        }
        return [.. bound.OrderBy(d => d.Bus, StringComparer.Ordinal).ThenBy(d => d.Device, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Interfaces other than <c>lo</c> that are administratively up (<c>IFF_UP</c>) with a working link: operstate
    /// "up", or "unknown", which drivers without carrier reporting (tun, WireGuard) show while they pass traffic.
    /// </summary>
    public static IReadOnlyList<string> InterfacesUp(RunningSystem machine) =>
    [
        .. Entries(Path.Join(machine.Directory, "sys/class/net"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name != "lo" && IsUp(machine, "/sys/class/net/" + name))
            .Order(StringComparer.Ordinal),
    ];

    private static bool IsUp(RunningSystem machine, string dir) =>
        machine.Line(dir + "/operstate") is "up" or "unknown"
        && machine.Line(dir + "/flags") is { } flags && flags.StartsWith("0x", StringComparison.Ordinal)
        && int.TryParse(flags.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int bits)
        && (bits & IffUp) != 0;

    /// <summary>The entries of a directory (sysfs's are mostly links to directories); none when it does not exist.</summary>
    private static IEnumerable<string> Entries(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir) : [];
}
