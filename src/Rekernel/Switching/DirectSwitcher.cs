using Rekernel.Kexec;

namespace Rekernel.Switching;

/// <summary>The immediate switch: <c>sync</c> and <c>reboot(KEXEC)</c>; services are not stopped.</summary>
public sealed class DirectSwitcher : ISwitcher
{
    private readonly IKexecSystem _kexec;

    public DirectSwitcher(IKexecSystem kexec)
    {
        _kexec = kexec;
    }

    public void Switch() => _kexec.SyncAndRebootIntoStaged();
}
