namespace Rekernel.Switching;

/// <summary>
/// A switch at a set time through logind (<c>ScheduleShutdown("kexec", usec)</c>), which starts
/// <c>kexec.target</c> when the time comes and warns logged-in users before. There is no fallback without
/// the bus: <c>systemctl kexec --when</c> only exists from systemd 254 and also goes through logind.
/// </summary>
public sealed class LogindScheduler : IShutdownScheduler
{
    private const string Destination = "org.freedesktop.login1";
    private const string ObjectPath = "/org/freedesktop/login1";
    private const string Interface = "org.freedesktop.login1.Manager";

    private readonly SystemBus _bus;

    /// <param name="busAddress">A D-Bus address; null for the system bus.</param>
    public LogindScheduler(string? busAddress = null)
    {
        _bus = new SystemBus(busAddress);
    }

    /// <summary>logind's time unit: microseconds of CLOCK_REALTIME since the Unix epoch.</summary>
    public static ulong RealtimeMicroseconds(DateTimeOffset at) =>
        checked((ulong)(at.ToUniversalTime() - DateTimeOffset.UnixEpoch).Ticks / 10);

    public void Schedule(DateTimeOffset at) =>
        _bus.Call(Destination, ObjectPath, Interface, "ScheduleShutdown", "st",
            ["kexec", RealtimeMicroseconds(at)],
            _ => true);

    public bool Cancel() =>
        _bus.Call(Destination, ObjectPath, Interface, "CancelScheduledShutdown", null, [], m => m.GetBodyReader().ReadBool());
}
