using System.Net.Sockets;
using Tmds.DBus.Protocol;

namespace Rekernel.Switching;

/// <summary>One method call at a time on the D-Bus system bus, with failures turned into rekernel's errors.</summary>
internal sealed class SystemBus
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(25);
    private readonly string _address;

    public SystemBus(string? address)
    {
        _address = address ?? DBusAddress.System ?? "unix:path=/var/run/dbus/system_bus_socket";
    }

    /// <summary>
    /// Calls <paramref name="member"/> with <paramref name="args"/> (strings, ulongs and variants, matching
    /// <paramref name="signature"/>) and reads the reply with <paramref name="read"/>.
    /// Throws <see cref="BusUnreachableException"/> when the bus cannot be reached, and a refusal naming
    /// the D-Bus error when the service answers with one.
    /// </summary>
    public T Call<T>(string destination, string path, string iface, string member, string? signature,
        IReadOnlyList<object> args, Func<Message, T> read)
    {
        using var connection = new DBusConnection(_address);
        try
        {
            connection.ConnectAsync().AsTask().WaitAsync(CallTimeout).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is DBusConnectionException or SocketException or IOException or TimeoutException)
        {
            throw new BusUnreachableException(_address, ex);
        }
        MessageBuffer message;
        using (MessageWriter writer = connection.GetMessageWriter())
        {
            writer.WriteMethodCallHeader(destination, path, iface, member, signature);
            foreach (object arg in args)
            {
                switch (arg)
                {
                    case string text: writer.WriteString(text); break;
                    case ulong number: writer.WriteUInt64(number); break;
                    case VariantValue variant: writer.WriteVariant(variant); break;
                    default: throw new ArgumentException($"no D-Bus encoding for {arg.GetType().Name}", nameof(args));
                }
            }
            message = writer.CreateMessage();
        }
        try
        {
            return connection.CallMethodAsync(message, (m, _) => read(m), null).WaitAsync(CallTimeout).GetAwaiter().GetResult();
        }
        catch (DBusErrorReplyException ex)
        {
            Finding refusal = ex.ErrorName is "org.freedesktop.DBus.Error.AccessDenied" or "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"
                ? new($"{destination} refused {member}: {ex.ErrorName}: {ex.ErrorMessage}; run as root (or check polkit rules).")
                : new($"{destination} refused {member}: {ex.ErrorName}: {ex.ErrorMessage}; check that {destination} is running", Remedy.SwitchNow);
            throw new RekernelException(ExitCode.Refused, refusal, ex);
        }
        catch (Exception ex) when (ex is DBusConnectionException or TimeoutException)
        {
            throw new RekernelException(ExitCode.Refused, $"{destination} did not answer {member} ({ex.Message}); check `systemctl status` and retry.", ex);
        }
    }
}
