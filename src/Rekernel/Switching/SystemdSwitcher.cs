using Rekernel.Processes;

namespace Rekernel.Switching;

/// <summary>
/// The graceful switch: asks systemd to start <c>kexec.target</c> (services stop, file systems unmount, then
/// systemd-shutdown jumps into the staged kernel). Over D-Bus first; when the system bus is unreachable
/// (no dbus-daemon, e.g. a minimal image) through <c>systemctl</c>, which as root talks to systemd's private
/// socket without the bus. The job mode is the one <c>systemctl kexec</c> uses.
/// </summary>
public sealed class SystemdSwitcher : ISwitcher
{
    public const string Unit = "kexec.target";
    public const string JobMode = "replace-irreversibly";

    private readonly SystemBus _bus;
    private readonly Func<string, IReadOnlyList<string>, int> _run;

    /// <param name="busAddress">A D-Bus address; null for the system bus.</param>
    public SystemdSwitcher(string? busAddress = null) : this(busAddress, RunProcess) { }

    /// <summary>For tests: <paramref name="run"/> stands in for running a program and returns its exit code.</summary>
    internal SystemdSwitcher(string? busAddress, Func<string, IReadOnlyList<string>, int> run)
    {
        _bus = new SystemBus(busAddress);
        _run = run;
    }

    /// <summary>The fallback command line, program first.</summary>
    public static IReadOnlyList<string> SystemctlArguments => ["start", "--job-mode=" + JobMode, Unit];

    public void Switch()
    {
        try
        {
            _ = _bus.Call("org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                "StartUnit", "ss",
                [Unit, JobMode],
                m => m.GetBodyReader().ReadObjectPathAsString());
        }
        catch (BusUnreachableException bus)
        {
            int code = _run("systemctl", SystemctlArguments);
            if (code != 0)
                throw new RekernelException(ExitCode.Refused,
                    new Finding($"systemd did not start {Unit}: the system bus is unreachable ({bus.InnerException?.Message}) and `systemctl {string.Join(' ', SystemctlArguments)}` exited with {code}; check `systemctl status`", Remedy.SwitchNow), bus);
        }
    }

    private static int RunProcess(string program, IReadOnlyList<string> arguments) =>
        ProgramRunner.Locate(program) is { } path && ProgramRunner.Run(path, arguments, captureOutput: false) is { } run ? run.ExitCode : 127;
}
