using Rekernel.Switching;

namespace Rekernel.Tests.Switching;

/// <summary>Stands in for systemd: counts switches, or fails like systemd would.</summary>
public sealed class RecordingSwitcher : ISwitcher
{
    public int Switches { get; private set; }
    public RekernelException? Failure { get; set; }

    public void Switch()
    {
        Switches++;
        if (Failure is not null) throw Failure;
    }
}
