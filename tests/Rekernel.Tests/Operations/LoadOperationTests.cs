using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Operations;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Operations;

/// <summary>The load use case end to end below the CLI: real discovery of a fixture tree, planning, staging into the fake kexec calls.</summary>
public sealed class LoadOperationTests
{
    private static readonly string PlainDebian = Path.Join(TestPaths.Fixtures, "debian12-plain");

    [Fact]
    public void Debian12PlainBoot_RealDiscovery_StagesThe53KernelAndItsInitrd_WithTheRunningCommandLine()
    {
        using var sandbox = new SwitchSandbox().RunningDebian();
        var fake = new FakeKexecSystem();
        var request = new LoadRequest(new StageRequest { Tree = new BootRoot(PlainDebian) });

        LoadResult result = new Load(sandbox.ServicesWith(fake), OperationEvents.None).Run(request);

        Assert.True(result.DidStage);
        Assert.Equal("/boot/vmlinuz-6.1.0-53-amd64", result.Plan.Load.Kernel);
        Assert.Equal(["Unload", "LoadFile"], fake.Calls);
        Assert.Equal(File.ReadAllBytes(Path.Join(PlainDebian, "boot/vmlinuz-6.1.0-53-amd64")), fake.LoadedKernel);
        Assert.Equal(File.ReadAllBytes(Path.Join(PlainDebian, "boot/initrd.img-6.1.0-53-amd64")), fake.LoadedInitrd);
        // DebianTree's /proc/cmdline without BOOT_IMAGE=, plus the panic= safety net.
        Assert.Equal("root=UUID=abc ro quiet panic=10 rekernel.switch=0123456789ab", fake.LoadedCmdline);
        StagedKernel staged = Assert.IsType<StagedKernel>(sandbox.Journal.Staged);
        Assert.Equal("6.1.0-53-amd64", staged.Version);
        Assert.Equal(sandbox.BootId, staged.BootId);
        Assert.Equal("6.1.0-47-amd64", staged.From);
    }

    [Fact]
    public void LoadRoot_TakesEntriesFromTheTree_ButTheCommandLineAndReleaseFromTheRunningMachine()
    {
        // A mounted image's /proc says nothing about the machine the kernel is staged on.
        using TempBootTree tree = DebianTree.Create();
        tree.Text("/proc/cmdline", "root=/dev/IMAGE ro\n").Text("/proc/sys/kernel/osrelease", "9.9.9-image\n");
        using var sandbox = new SwitchSandbox().RunningDebian();
        var fake = new FakeKexecSystem();
        MachineServices services = sandbox.ServicesWith(fake) with { Discover = _ => new BootInventory([DebianTree.Entry()], DebianTree.Entry(), Bootloader.Grub, []) };

        LoadResult result = new Load(services, OperationEvents.None).Run(new LoadRequest(new StageRequest { Tree = tree.Root }, DryRun: true));

        Assert.Equal("root=UUID=abc ro quiet panic=10 rekernel.switch=0123456789ab", result.Plan.Load.Cmdline);
        Assert.Equal("6.1.0-47-amd64", result.Plan.Machine.Release);
        Assert.Equal(sandbox.MachineDirectory, result.Plan.Machine.Directory);
        Assert.Empty(fake.Calls);
    }
}
