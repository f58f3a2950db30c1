using Rekernel.Machine;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Health;

/// <summary>
/// A machine directory with a /sys laid out as the kernel does: devices under /sys/devices, linked from
/// /sys/bus/BUS/devices, each bound one with a relative <c>driver</c> link to /sys/bus/BUS/drivers/DRIVER.
/// </summary>
public sealed class FakeSys : IDisposable
{
    private readonly ScratchDirectory? _owned;
    private readonly string _root;

    /// <summary>A /sys in a new temporary machine directory.</summary>
    public FakeSys()
    {
        _owned = new ScratchDirectory();
        _root = _owned.Path;
    }

    /// <summary>A /sys in the machine directory <paramref name="machineDirectory"/> (a sandbox's), which the caller cleans up.</summary>
    public FakeSys(string machineDirectory)
    {
        _root = machineDirectory;
    }

    public RunningSystem Machine => new(_root);

    /// <summary>A device on a bus, bound to <paramref name="driver"/> unless null.</summary>
    public FakeSys Device(string bus, string device, string? driver)
    {
        string real = File($"sys/devices/platform/{bus}/{device}");
        System.IO.Directory.CreateDirectory(real);
        Write($"sys/devices/platform/{bus}/{device}/uevent", "");
        string devices = File($"sys/bus/{bus}/devices");
        System.IO.Directory.CreateDirectory(devices);
        string link = Path.Join(devices, device);
        if (!Path.Exists(link)) System.IO.File.CreateSymbolicLink(link, $"../../../devices/platform/{bus}/{device}");
        string driverLink = Path.Join(real, "driver");
        if (new FileInfo(driverLink).LinkTarget is not null) System.IO.File.Delete(driverLink);
        if (driver is not null)
        {
            System.IO.Directory.CreateDirectory(File($"sys/bus/{bus}/drivers/{driver}"));
            System.IO.File.CreateSymbolicLink(driverLink, $"../../../../bus/{bus}/drivers/{driver}");
        }
        return this;
    }

    /// <summary>Removes a device altogether, as when the bus driver that enumerates it is missing.</summary>
    public FakeSys Gone(string bus, string device)
    {
        System.IO.File.Delete(File($"sys/bus/{bus}/devices/{device}"));
        System.IO.Directory.Delete(File($"sys/devices/platform/{bus}/{device}"), recursive: true);
        return this;
    }

    /// <summary>A network interface with its operstate and flags as the kernel prints them ("up", "0x1003").</summary>
    public FakeSys Interface(string name, string operstate, string flags)
    {
        Write($"sys/devices/virtual/net/{name}/operstate", operstate + "\n");
        Write($"sys/devices/virtual/net/{name}/flags", flags + "\n");
        string link = File($"sys/class/net/{name}");
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (!Path.Exists(link)) System.IO.File.CreateSymbolicLink(link, $"../../devices/virtual/net/{name}");
        return this;
    }

    /// <summary>
    /// A watchdog of the watchdog class: <c>/sys/class/watchdog/NAME</c> links to it, under its parent device
    /// (made with <see cref="Device"/>) when <paramref name="bus"/> and <paramref name="device"/> are given, else
    /// under <c>/sys/devices/virtual</c> without a <c>device</c> link, as softdog's.
    /// </summary>
    public FakeSys Watchdog(string name, string identity, string state, int timeout, string? bus = null, string? device = null)
    {
        string dir = bus is null ? $"sys/devices/virtual/watchdog/{name}" : $"sys/devices/platform/{bus}/{device}/watchdog/{name}";
        Write(dir + "/identity", identity + "\n");
        Write(dir + "/state", state + "\n");
        Write(dir + "/timeout", timeout + "\n");
        if (bus is not null) System.IO.File.CreateSymbolicLink(File(dir + "/device"), "../..");
        System.IO.Directory.CreateDirectory(File("sys/class/watchdog"));
        System.IO.File.CreateSymbolicLink(File($"sys/class/watchdog/{name}"), "../../" + dir["sys/".Length..]);
        return this;
    }

    /// <summary>A loaded module (or built-in one with parameters), with its parameters as <c>/sys/module</c> shows them.</summary>
    public FakeSys Module(string name, params (string Name, string Value)[] parameters)
    {
        System.IO.Directory.CreateDirectory(File($"sys/module/{name}"));
        foreach (var (key, value) in parameters) Write($"sys/module/{name}/parameters/{key}", value + "\n");
        return this;
    }

    public FakeSys Cmdline(string cmdline)
    {
        Write("proc/cmdline", cmdline + "\n");
        return this;
    }

    public FakeSys CrashKernel(bool loaded)
    {
        Write("sys/kernel/kexec_crash_loaded", loaded ? "1\n" : "0\n");
        return this;
    }

    private string File(string relative) => Path.Join(_root, relative);

    private void Write(string relative, string text)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(File(relative))!);
        System.IO.File.WriteAllText(File(relative), text);
    }

    public void Dispose() => _owned?.Dispose();
}
