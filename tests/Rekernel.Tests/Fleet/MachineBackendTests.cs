using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Fleet.Agent;
using Rekernel.Operations;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Fleet;

/// <summary>The live machine under the agent: whether it would switch is the upgrade's own dry run, on a Debian /boot.</summary>
public sealed class MachineBackendTests
{
    private static string? NotReady(Action<SwitchSandbox> arrange)
    {
        using TempBootTree tree = DebianTree.Create();
        using var sandbox = new SwitchSandbox().RunningDebian();
        arrange(sandbox);
        return new MachineBackend(sandbox.Services, OperationEvents.None, new BootRoot(tree.HostPath)).NotReady();
    }

    [Fact]
    public void HostWithSystemd_WouldSwitchGracefully_IsReady() =>
        Assert.Null(NotReady(_ => { }));

    [Fact]
    public void HostWithoutSystemd_AndGracefulSwitches_IsNotReady_WithTheSwitchsOwnSentence() =>
        Assert.Equal("PID 1 is not systemd, so services cannot be stopped through kexec.target; sync and jump at once instead (services are not stopped).",
            NotReady(machine => machine.NotSystemd()));

    [Fact]
    public void HostWithoutSystemd_ConfiguredToSwitchNow_IsReady() =>
        Assert.Null(NotReady(machine =>
        {
            machine.NotSystemd();
            machine.Config = RekernelConfig.Defaults with { Switch = SwitchPolicy.Now };
        }));

    [Fact]
    public void HostWithKexecDisabled_IsNotReady_NamingTheSysctl() =>
        Assert.Equal("kexec is disabled: kernel.kexec_load_disabled=1 is set; it can only be cleared by a reboot.",
            NotReady(machine => File.WriteAllText(machine.MachineFile("/proc/sys/kernel/kexec_load_disabled"), "1\n")));
}
