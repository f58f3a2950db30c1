namespace Rekernel.Switching;

/// <summary>The D-Bus system bus could not be reached (no dbus-daemon, or its socket is missing).</summary>
public sealed class BusUnreachableException : RekernelException
{
    public BusUnreachableException(string address, Exception inner)
        : base(ExitCode.Refused, new Finding($"the D-Bus system bus at {address} is unreachable ({inner.Message}); start dbus", Remedy.SwitchNow), inner)
    {
        Address = address;
    }

    public string Address { get; }
}
