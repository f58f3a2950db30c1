using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Kexec;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;
using Rekernel.Native;
using Rekernel.Operations;

namespace Rekernel.Tests.Cli;

public sealed class LoadCommandTests
{
    private static (int Code, string Out, string Err) Run(TempBootTree tree, FakeKexecSystem fake, uint uid, params string[] args)
    {
        BootEntry newer = DebianTree.Entry("/boot/intel-ucode.img", $"/boot/initrd.img-{DebianTree.Version}");
        var inventory = new BootInventory([newer], newer, Bootloader.Grub, []);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var sandbox = new SwitchSandbox().RunningDebian();
        MachineServices services = sandbox.ServicesWith(fake) with { EffectiveUid = () => uid, Discover = _ => inventory };
        string[] root = args[0] == "unload" ? [] : ["--root", tree.HostPath];
        int code = CliApp.Run([.. args, .. root], new CliConsole(stdout, stderr), services);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void DryRun_PrintsPlanAndStagesNothing()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, string err) = Run(tree, fake, 1000, "load", "--dry-run", "--append", "console=ttyS0");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("kernel   /boot/vmlinuz-6.1.0-53-amd64", output);
        Assert.Contains("initrd   /boot/intel-ucode.img", output);
        Assert.Contains("cmdline  root=UUID=abc ro quiet console=ttyS0 panic=10", output);
        Assert.Contains("kexec-tools equivalent: cat /boot/intel-ucode.img", output);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void Load_StagesAndSaysWhat()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, _) = Run(tree, fake, 0, "load", "--remove", "quiet", "--no-panic-reboot");
        Assert.Equal(0, code);
        Assert.Equal(
            "Staged 6.1.0-53-amd64 (kernel /boot/vmlinuz-6.1.0-53-amd64, initrds /boot/intel-ucode.img, /boot/initrd.img-6.1.0-53-amd64) with command line: root=UUID=abc ro rekernel.switch=0123456789ab\n",
            output);
        Assert.Equal("root=UUID=abc ro rekernel.switch=0123456789ab", fake.LoadedCmdline);
        // The initrd is assembled before the old kernel is unloaded, so a failure there leaves it staged.
        Assert.Equal(["CreateMemoryFile", "Unload", "LoadFile"], fake.Calls);
    }

    [Fact]
    public void Load_Json_ReportsStagedPlan()
    {
        using TempBootTree tree = DebianTree.Create();
        (int code, string output, _) = Run(tree, new FakeKexecSystem(), 0, "load", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"staged\": true", output);
        Assert.Contains("\"cmdline\": \"root=UUID=abc ro quiet panic=10 rekernel.switch=0123456789ab\"", output);
    }

    [Fact]
    public void Load_NotRoot_IsRefusedWithExitCode4()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, _, string err) = Run(tree, fake, 1000, "load");
        Assert.Equal((int)ExitCode.Refused, code);
        Assert.StartsWith("rekernel: staging a kernel needs CAP_SYS_BOOT", err);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void Load_KernelRefuses_ExitsKexecFailedWithExplanation()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem().FailOn("LoadFile", Errno.ENOSYS);
        (int code, _, string err) = Run(tree, fake, 0, "load");
        Assert.Equal((int)ExitCode.KexecFailed, code);
        Assert.Contains("--use-kexec-tools", err);
    }

    [Fact]
    public void Load_UnknownTarget_ExitsNotFound()
    {
        using TempBootTree tree = DebianTree.Create();
        (int code, _, string err) = Run(tree, new FakeKexecSystem(), 0, "load", "5.10.0-1-amd64");
        Assert.Equal((int)ExitCode.NotFound, code);
        Assert.Contains("6.1.0-53-amd64", err);
    }

    [Fact]
    public void Unload_SaysWhetherSomethingWasStaged()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem { IsLoaded = true };
        (int code, string output, string err) = Run(tree, fake, 0, "unload");
        Assert.True(code == 0, err);
        Assert.Equal("Unloaded the staged kernel.\n", output);
        Assert.Equal("Nothing was staged.\n", Run(tree, fake, 0, "unload").Out);
    }
}
