using System.Globalization;
using Rekernel.Discovery;

namespace Rekernel.Machine;

/// <summary>
/// Whether a hardware watchdog can reset the machine when the kernel it jumps into hangs without panicking
/// (<c>panic=</c> catches only panics), and why not: the decision of tests/vm/os/README.md, "Watchdog".
/// A watchdog guards the jump when it is hardware (softdog is a timer of the old kernel), when the old kernel
/// does not stop it at the kexec (the watchdog core stops every driver that called
/// <c>watchdog_stop_on_reboot()</c>, i6300esb, iTCO_wdt and softdog among them, unless
/// <c>watchdog.stop_on_reboot=0</c>; ipmi_watchdog's own reboot notifier keeps the BMC's timer running), and when
/// something arms it: systemd's <c>KExecWatchdogSec=</c> on a graceful switch (which rekernel sets), or the
/// timer already running for an immediate jump, which starts nothing.
/// </summary>
/// <param name="Device">The device judged (<c>/dev/watchdog0</c>, <c>/dev/watchdog</c> for ipmi_watchdog); null when there is none.</param>
/// <param name="Driver">The driver behind it (the <c>device/driver</c> link's name, <c>softdog</c>, <c>ipmi_watchdog</c>).</param>
/// <param name="Armed">A hang of the new kernel before its own watchdog driver loads resets the machine.</param>
/// <param name="Reason">Why it does not, in one sentence; null when <paramref name="Armed"/>.</param>
/// <param name="Identity">What the driver calls the device (<c>identity</c>, "i6300ESB timer").</param>
/// <param name="TimeoutSeconds">Its current timeout (<c>timeout</c>).</param>
public sealed record WatchdogGuard(string? Device, string? Driver, bool Armed, string? Reason, string? Identity = null, int? TimeoutSeconds = null)
{
    public const string ClassDirectory = "/sys/class/watchdog";
    public const string StopOnRebootParameter = "/sys/module/watchdog/parameters/stop_on_reboot";
    public const string StopOnRebootArgument = "watchdog.stop_on_reboot=0";
    private const string IpmiModule = "/sys/module/ipmi_watchdog";
    private const string SoftdogIdentity = "Software Watchdog";

    /// <summary>
    /// Judges the first watchdog of the machine under <paramref name="machine"/> (systemd arms
    /// <c>/dev/watchdog0</c>); ipmi_watchdog, a misc device outside the watchdog class, when the class is empty.
    /// </summary>
    /// <param name="immediateJump">The jump is <c>reboot(KEXEC)</c> without systemd-shutdown, which arms nothing.</param>
    public static WatchdogGuard Judge(BootRoot machine, bool immediateJump)
    {
        if (machine.ListFiles(ClassDirectory, "watchdog*").OrderBy(Number).FirstOrDefault() is { } name)
            return JudgeClassDevice(machine, name, immediateJump);
        if (machine.DirectoryExists(IpmiModule))
            return immediateJump
                ? new("/dev/watchdog", "ipmi_watchdog", false, "rekernel cannot tell whether the BMC's ipmi_watchdog timer is running, and an immediate jump does not start it; switch gracefully, where systemd's KExecWatchdogSec= arms it.")
                : new("/dev/watchdog", "ipmi_watchdog", true, null);
        return new(null, null, false, $"no watchdog device ({ClassDirectory} is empty), so nothing resets a kernel that hangs after the jump; only panic= catches a kernel that panics.");
    }

    private static WatchdogGuard JudgeClassDevice(BootRoot machine, string name, bool immediateJump)
    {
        string dir = $"{ClassDirectory}/{name}";
        string? identity = Line(machine, dir + "/identity");
        int? timeout = int.TryParse(Line(machine, dir + "/timeout"), NumberStyles.None, CultureInfo.InvariantCulture, out int t) ? t : null;
        string? driver = DriverName(machine, dir) ?? (identity == SoftdogIdentity ? "softdog" : null);
        string device = "/dev/" + name;
        string who = driver is null ? device : $"{device} ({driver})";
        string? reason = driver == "softdog"
            ? "softdog is a timer inside the running kernel and dies with it at the jump; only a hardware watchdog can reset a new kernel that hangs."
            : !StopOnRebootDisabled(machine)
                ? $"the watchdog core stops {who} when this kernel hands over to kexec; boot with {StopOnRebootArgument} to keep it counting across the jump."
                : immediateJump && Line(machine, dir + "/state") != "active"
                    ? $"{who} is not running and an immediate jump does not start it; switch gracefully, where systemd's KExecWatchdogSec= arms it."
                    : null;
        return new(device, driver, reason is null, reason, identity, timeout);
    }

    /// <summary>
    /// Whether the watchdog core leaves running watchdogs alone at a reboot or kexec: its read-only parameter
    /// (which also reflects modprobe.d), or the argument on the running command line when the parameter is absent.
    /// </summary>
    private static bool StopOnRebootDisabled(BootRoot machine) =>
        Line(machine, StopOnRebootParameter) is { } value
            ? value == "0"
            : (Line(machine, "/proc/cmdline") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(StopOnRebootArgument);

    /// <summary>The driver's name: the last component of the parent device's <c>driver</c> link (softdog has no parent device).</summary>
    private static string? DriverName(BootRoot machine, string dir) =>
        machine.Resolve(dir + "/device") is { } device && new FileInfo(Path.Join(device, "driver")).LinkTarget is { } target
            ? Path.GetFileName(target)
            : null;

    private static int Number(string name) =>
        int.TryParse(name.AsSpan("watchdog".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : int.MaxValue;

    private static string? Line(BootRoot machine, string path) => RunningSystem.FirstLine(machine, path);
}
