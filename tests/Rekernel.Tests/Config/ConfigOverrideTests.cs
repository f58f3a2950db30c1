using Rekernel.Cli;
using Rekernel.Config;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Images;
using Rekernel.Tests.Planning;
using Rekernel.Operations;

namespace Rekernel.Tests.Config;

/// <summary>rekernel.conf sets what the command line leaves open; the command line always wins.</summary>
public sealed class ConfigOverrideTests
{
    private const string Older = "6.1.0-50-amd64";

    /// <summary>A Debian tree whose bootloader default (6.1.0-50) is older than the newest kernel (6.1.0-53).</summary>
    private static TempBootTree Tree()
    {
        TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/vmlinuz-{Older}", FakeKernel.Image(FakeKernel.Banner(Older))).Text($"/boot/initrd.img-{Older}", "OLDER");
        return tree;
    }

    private static (int Code, string Out, string Err, FakeKexecSystem Fake) Run(string config, params string[] args)
    {
        using TempBootTree tree = Tree();
        BootEntry newest = DebianTree.Entry();
        BootEntry older = newest with
        {
            Id = "debian-50", Title = $"Debian GNU/Linux, with Linux {Older}", Version = Older,
            Kernel = $"/boot/vmlinuz-{Older}", Initrds = [$"/boot/initrd.img-{Older}"],
        };
        var inventory = new BootInventory([newest, older], older, Bootloader.Grub, []);
        var fake = new FakeKexecSystem();
        using var sandbox = new SwitchSandbox().RunningDebian();
        MachineServices services = sandbox.ServicesWith(fake) with
        {
            Discover = _ => inventory,
            Config = () => ConfigFile.Parse(config, "/etc/rekernel.conf"),
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run([.. args, "--root", tree.HostPath], new CliConsole(stdout, stderr), services);
        return (code, stdout.ToString(), stderr.ToString(), fake);
    }

    [Fact]
    public void TargetLatest_LoadTakesTheNewestKernel_InsteadOfTheBootloaderDefault()
    {
        Assert.Contains($"kernel   /boot/vmlinuz-{Older}", Run("", "load", "--dry-run").Out);
        Assert.Contains($"kernel   /boot/vmlinuz-{DebianTree.Version}", Run("target = latest", "load", "--dry-run").Out);
    }

    [Fact]
    public void TargetLatest_DefaultOptionOrNamedTarget_WinsOverTheConfig()
    {
        Assert.Contains($"kernel   /boot/vmlinuz-{Older}", Run("target = latest", "load", "--dry-run", "--default").Out);
        Assert.Contains($"kernel   /boot/vmlinuz-{Older}", Run("target = latest", "load", "--dry-run", Older).Out);
    }

    [Fact]
    public void TargetLatest_StatusShowsTheNewestKernelAsTheUpgradeTarget()
    {
        Assert.Contains($"Upgrade target:      {Older} ", Run("", "status").Out);
        Assert.Contains($"Upgrade target:      {DebianTree.Version} ", Run("target = latest", "status").Out);
    }

    [Fact]
    public void ConfigAppendAndRemove_ComeBeforeTheCommandLineOnes()
    {
        (int code, string output, _, _) = Run("append = console=ttyS0\nremove = quiet\npanic_timeout = 30\n",
            "load", "--dry-run", "--append", "console=tty0", "--remove", "ro");
        Assert.Equal(0, code);
        Assert.Contains("cmdline  root=UUID=abc console=ttyS0 console=tty0 panic=30", output);
    }

    [Fact]
    public void PanicTimeout_CommandLineWinsOverConfig_AndZeroMeansNoFallback()
    {
        Assert.Contains("cmdline  root=UUID=abc ro quiet panic=5 rekernel.switch=0123456789ab\n", Run("panic_timeout = 30", "load", "--dry-run", "--panic-timeout", "5").Out);
        Assert.Contains("cmdline  root=UUID=abc ro quiet rekernel.switch=0123456789ab\n", Run("panic_timeout = 0", "load", "--dry-run").Out);
        Assert.Contains("cmdline  root=UUID=abc ro quiet panic=10 rekernel.switch=0123456789ab\n", Run("panic_timeout = 0", "load", "--dry-run", "--panic-timeout", "10").Out);
    }

    [Fact]
    public void SwitchNow_MakesUpgradeImmediate()
    {
        (int code, string output, string err, FakeKexecSystem fake) = Run("switch = now", "upgrade", "--latest", "--yes");
        Assert.True(code == 0, err);
        Assert.Contains("switching to 6.1.0-53-amd64 now", output);
        Assert.Equal("Reboot", fake.Calls[^1]);
    }

    [Fact]
    public void SwitchNow_WhenGivenOnTheCommandLine_IsGraceful()
    {
        (int code, string output, string err, FakeKexecSystem fake) = Run("switch = now", "upgrade", "--latest", "--yes", "--when", "now");
        Assert.True(code == 0, err);
        Assert.Contains("systemd is stopping services", output);
        Assert.DoesNotContain("Reboot", fake.Calls);
    }

    [Fact]
    public void InWindow_OutsideTheMaintenanceWindow_RefusesAndStagesNothing()
    {
        // The sandbox clock says 10:00 UTC.
        (int code, _, string err, FakeKexecSystem fake) = Run("maintenance_window = 02:00-04:00", "upgrade", "--latest", "--yes", "--in-window");
        Assert.Equal((int)ExitCode.Refused, code);
        Assert.Equal("rekernel: it is 10:00, outside the maintenance window 02:00-04:00 (maintenance_window in rekernel.conf); nothing was changed.\n", err);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void InWindow_InsideTheMaintenanceWindow_Upgrades()
    {
        (int code, _, string err, FakeKexecSystem fake) = Run("maintenance_window = 09:30-10:30", "upgrade", "--latest", "--yes", "--in-window");
        Assert.True(code == 0, err);
        Assert.Contains("LoadFile", fake.Calls);
    }

    [Fact]
    public void BadConfig_StopsLoadWithExitSevenNamingTheLine()
    {
        (int code, string output, string err, FakeKexecSystem fake) = Run("target = latest\napend = quiet\n", "load");
        Assert.Equal((int)ExitCode.ConfigError, code);
        Assert.Equal("", output);
        Assert.StartsWith("rekernel: /etc/rekernel.conf:2: unknown key 'apend'; known keys: target, append,", err);
        Assert.Empty(fake.Calls);
    }

    [Fact]
    public void Quiet_LoadPrintsNothingButStillStages()
    {
        (int code, string output, string err, FakeKexecSystem fake) = Run("", "load", "--quiet");
        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Equal("", err);
        Assert.Contains("LoadFile", fake.Calls);
    }
}
