using Tmds.DBus.Protocol;

namespace Rekernel.Tests.Switching;

/// <summary>
/// Plays systemd or logind on a <see cref="PrivateBus"/>: owns a well-known name, records every call to its
/// object as "Interface.Member(signature) args", and answers with the reply the test chose.
/// </summary>
public sealed class FakeBusObject : IPathMethodHandler, IDisposable
{
    private readonly DBusConnection _connection;
    private readonly Func<MethodContext, MessageBuffer> _reply;

    private FakeBusObject(DBusConnection connection, string path, Func<MethodContext, MessageBuffer> reply)
    {
        _connection = connection;
        Path = path;
        _reply = reply;
    }

    public string Path { get; }
    public bool HandlesChildPaths => false;
    public List<string> Calls { get; } = [];

    public static FakeBusObject Serve(string address, string name, string path, Func<MethodContext, MessageBuffer> reply)
    {
        var connection = new DBusConnection(address);
        connection.ConnectAsync().AsTask().GetAwaiter().GetResult();
        var fake = new FakeBusObject(connection, path, reply);
        connection.AddMethodHandler(fake);
        connection.RequestNameAsync(name).GetAwaiter().GetResult();
        return fake;
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        Message request = context.Request;
        Reader body = request.GetBodyReader();
        var args = new List<string>();
        foreach (char type in request.SignatureAsString ?? "")
        {
            args.Add(type switch
            {
                's' => body.ReadString(),
                't' => body.ReadUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                'v' => body.ReadVariantValue() is { Type: VariantValueType.UInt64 } number
                    ? "<t " + number.GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) + ">"
                    : "<?>",
                _ => "?",
            });
        }
        lock (Calls) Calls.Add($"{request.InterfaceAsString}.{request.MemberAsString}({request.SignatureAsString}) {string.Join(' ', args)}".TrimEnd());
        context.Reply(_reply(context));
        return default;
    }

    public void Dispose() => _connection.Dispose();
}
