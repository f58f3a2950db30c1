using Tmds.DBus.Protocol;

namespace Rekernel.Switching;

/// <summary>
/// Sets systemd's <c>KExecWatchdogUSec</c> on its manager over D-Bus (what <c>busctl set-property
/// org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager KExecWatchdogUSec t N</c>
/// does, checked on systemd 252 in tests/vm/os/README.md): it lasts for the boot that is ending, so nothing is
/// written to disk and nothing needs undoing. A value the operator set (<c>KExecWatchdogSec=</c>) is kept.
/// </summary>
public sealed class SystemdKexecWatchdog(string? busAddress = null) : IKexecWatchdog
{
    public const string Property = "KExecWatchdogUSec";
    private const string Destination = "org.freedesktop.systemd1";
    private const string ObjectPath = "/org/freedesktop/systemd1";
    private const string Manager = "org.freedesktop.systemd1.Manager";
    private const string Properties = "org.freedesktop.DBus.Properties";

    private readonly SystemBus _bus = new(busAddress);

    public void Arm(TimeSpan timeout)
    {
        ulong current = _bus.Call(Destination, ObjectPath, Properties, "Get", "ss", [Manager, Property],
            m => m.GetBodyReader().ReadVariantValue().GetUInt64());
        if (current != 0) return;
        _ = _bus.Call(Destination, ObjectPath, Properties, "Set", "ssv",
            [Manager, Property, VariantValue.UInt64((ulong)(timeout.Ticks / TimeSpan.TicksPerMicrosecond))], _ => 0);
    }
}
