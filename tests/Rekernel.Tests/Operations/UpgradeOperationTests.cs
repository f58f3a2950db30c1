using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Operations;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Operations;

/// <summary>The upgrade use case's order (plan → confirm → lock → stage → journal → switch) and its undo, below the CLI.</summary>
public sealed class UpgradeOperationTests
{
    private static (UpgradeResult? Result, Exception? Error) Upgrade(SwitchSandbox sandbox, FakeKexecSystem fake, TempBootTree tree, UpgradeRequest request, List<string>? order = null)
    {
        MachineServices services = sandbox.ServicesWith(fake) with { Discover = _ => new BootInventory([DebianTree.Entry()], DebianTree.Entry(), Bootloader.Grub, []) };
        var events = new OperationEvents { Staged = _ => order?.Add("staged") };
        try { return (new Upgrade(services, events).Run(request), null); }
        catch (RekernelException ex) { return (null, ex); }
    }

    [Fact]
    public void UpgradeForce_WhenTheTargetAlreadyRuns_StagesAndSwitchesAnyway()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox().RunningDebian();
        sandbox.Boot("6.1.0-53-amd64", sandbox.BootId, uptimeSeconds: 60);
        var fake = new FakeKexecSystem();

        (UpgradeResult? forced, _) = Upgrade(sandbox, fake, tree, new UpgradeRequest(new StageRequest { Tree = tree.Root }, Now: true, Force: true));

        Assert.Equal(UpgradeOutcome.Switching, forced!.Outcome);
        Assert.Equal(["Unload", "LoadFile", "Reboot"], fake.Calls);
        SwitchRecord pending = Assert.IsType<SwitchRecord>(sandbox.Journal.Pending);
        Assert.Equal("6.1.0-53-amd64", pending.FromVersion);
        Assert.Equal("6.1.0-53-amd64", pending.ToVersion);
    }

    [Fact]
    public void UpgradeWithoutForce_WhenTheTargetAlreadyRuns_TouchesNothing()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox().RunningDebian();
        sandbox.Boot("6.1.0-53-amd64", sandbox.BootId, uptimeSeconds: 60);
        var fake = new FakeKexecSystem();

        (UpgradeResult? result, _) = Upgrade(sandbox, fake, tree, new UpgradeRequest(new StageRequest { Tree = tree.Root }, Now: true));

        Assert.Equal(UpgradeOutcome.AlreadyRunning, result!.Outcome);
        Assert.Empty(fake.Calls);
        Assert.Null(sandbox.Journal.Pending);
    }

    [Fact]
    public void Upgrade_AsksBeforeStaging_AndADeclinedSwitchStagesNothing()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox().RunningDebian();
        var fake = new FakeKexecSystem();
        SwitchIntent? asked = null;
        var request = new UpgradeRequest(new StageRequest { Tree = tree.Root }, Confirm: intent => { asked = intent; return false; });

        (_, Exception? error) = Upgrade(sandbox, fake, tree, request);

        Assert.Equal("not confirmed; nothing was changed.", error!.Message);
        Assert.Equal(new SwitchIntent("6.1.0-47-amd64", "6.1.0-53-amd64", SwitchMode.Graceful, null), asked);
        Assert.Empty(fake.Calls);
        Assert.Null(sandbox.Journal.Staged);
    }

    [Fact]
    public void Upgrade_SystemdRefusingTheSwitch_UnloadsWhatItStaged_AndRecordsTheFailure()
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox().RunningDebian();
        sandbox.Systemd.Failure = new RekernelException(ExitCode.Refused, "systemd said no.");
        var fake = new FakeKexecSystem();
        var order = new List<string>();

        (_, Exception? error) = Upgrade(sandbox, fake, tree, new UpgradeRequest(new StageRequest { Tree = tree.Root }), order);

        Assert.Equal("systemd said no.", error!.Message);
        Assert.Equal(["staged"], order);
        Assert.Equal(["Unload", "LoadFile", "Unload"], fake.Calls);
        Assert.False(fake.IsLoaded);
        Assert.Null(sandbox.Journal.Staged);
        Assert.Equal(SwitchOutcome.Cancelled, sandbox.Journal.History[0].Outcome);
    }
}
