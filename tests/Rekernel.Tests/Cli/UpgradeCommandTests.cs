using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;
using Rekernel.Operations;

namespace Rekernel.Tests.Cli;

public sealed class UpgradeCommandTests
{
    private static (int Code, string Out, string Err, SwitchSandbox Sandbox) Run(TempBootTree tree, FakeKexecSystem fake, string? running, params string[] args) =>
        Run(tree, fake, running, new SwitchSandbox().RunningDebian(), args);

    private static (int Code, string Out, string Err, SwitchSandbox Sandbox) Run(TempBootTree tree, FakeKexecSystem fake, string? running, SwitchSandbox sandbox, params string[] args)
    {
        BootEntry newer = DebianTree.Entry();
        var inventory = new BootInventory([newer], newer, Bootloader.Grub, []);
        MachineServices services = sandbox.ServicesWith(fake) with { Discover = _ => inventory };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] runningArgs = running is null ? [] : ["--running", running];
        int code = CliApp.Run([.. args, "--root", tree.HostPath, .. runningArgs], new CliConsole(stdout, stderr), services);
        return (code, stdout.ToString(), stderr.ToString(), sandbox);
    }

    [Fact]
    public void Debian_UpgradeNow_StagesTheDefault_JournalsTheSwitch_ThenJumps()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, string err, SwitchSandbox sandbox) = Run(tree, fake, null, "upgrade", "--now", "--yes");
        using (sandbox)
        {
            Assert.True(code == 0, err);
            Assert.Equal(["Unload", "LoadFile", "Reboot"], fake.Calls);
            Assert.Equal("root=UUID=abc ro quiet panic=10 rekernel.switch=0123456789ab", fake.LoadedCmdline);
            SwitchRecord pending = Assert.IsType<SwitchRecord>(sandbox.Journal.Pending);
            Assert.Equal(DebianTree.Version, pending.ToVersion);
            Assert.Equal(SwitchMode.Now, pending.Mode);
            Assert.Contains("Staged 6.1.0-53-amd64", output);
            Assert.Contains("switching to 6.1.0-53-amd64 now", output);
        }
    }

    [Fact]
    public void Upgrade_WhenTheTargetAlreadyRuns_DoesNothingAndSaysSo()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, _, SwitchSandbox sandbox) = Run(tree, fake, DebianTree.Version, "upgrade", "--now", "--yes");
        using (sandbox)
        {
            Assert.Equal(0, code);
            Assert.Contains("6.1.0-53-amd64 is already running; nothing to do", output);
            Assert.Empty(fake.Calls);
            Assert.Null(sandbox.Journal.Pending);
        }
    }

    [Fact]
    public void Upgrade_DryRun_PrintsPlanAndSwitchMode_StagesNothing()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, _, SwitchSandbox sandbox) = Run(tree, fake, null, "upgrade", "--dry-run");
        using (sandbox)
        {
            Assert.Equal(0, code);
            Assert.Contains("cmdline  root=UUID=abc ro quiet panic=10", output);
            Assert.Contains("then     switch through systemd's kexec.target", output);
            Assert.Contains("return   none: no bootloader configuration was found (direct kernel boot?)", output);
            Assert.Empty(fake.Calls);
        }
    }

    [Fact]
    public void DryRun_WithoutSystemd_IsRefusedAsTheGracefulSwitchWouldBe()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        var withoutSystemd = new SwitchSandbox().RunningDebian();
        withoutSystemd.NotSystemd();
        (int code, string output, string err, SwitchSandbox sandbox) = Run(tree, fake, null, withoutSystemd, "upgrade", "--dry-run");
        using (sandbox)
        {
            Assert.Equal((int)ExitCode.Refused, code);
            Assert.Equal("rekernel: PID 1 is not systemd, so services cannot be stopped through kexec.target; use --now to sync and jump at once (services are not stopped).\n", err);
            Assert.Empty(output);
            Assert.Empty(fake.Calls);
        }
    }

    [Fact]
    public void DryRunJson_IsTheWholePlan_WithTheReturnPath()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, string output, _, SwitchSandbox sandbox) = Run(tree, fake, null, "upgrade", "--dry-run", "--json");
        using (sandbox)
        {
            Assert.Equal(0, code);
            using var doc = System.Text.Json.JsonDocument.Parse(output);
            System.Text.Json.JsonElement plan = doc.RootElement;
            Assert.False(plan.GetProperty("staged").GetBoolean());
            Assert.Equal("6.1.0-53-amd64", plan.GetProperty("version").GetString());
            Assert.Equal("root=UUID=abc ro quiet panic=10 rekernel.switch=0123456789ab", plan.GetProperty("cmdline").GetString());
            Assert.Equal("graceful", plan.GetProperty("mode").GetString());
            System.Text.Json.JsonElement back = plan.GetProperty("returnPath");
            Assert.Equal(System.Text.Json.JsonValueKind.Null, back.GetProperty("mechanism").ValueKind);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, back.GetProperty("entry").ValueKind);
            Assert.StartsWith("no bootloader configuration was found", back.GetProperty("reason").GetString());
            Assert.Empty(fake.Calls);
        }
    }

    [Fact]
    public void JsonWithoutDryRun_IsAUsageError()
    {
        using TempBootTree tree = DebianTree.Create();
        (int code, _, string err, SwitchSandbox sandbox) = Run(tree, new FakeKexecSystem(), null, "upgrade", "--json", "--yes");
        sandbox.Dispose();
        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Equal("rekernel: --json describes a plan; add --dry-run.\n", err);
    }

    [Fact]
    public void Upgrade_WithoutTerminalOrYes_RefusesAndLeavesNothingStaged()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, _, string err, SwitchSandbox sandbox) = Run(tree, fake, null, "upgrade", "--now");
        using (sandbox)
        {
            Assert.Equal((int)ExitCode.Refused, code);
            Assert.Equal("rekernel: switch asks for confirmation, but standard input is not a terminal; pass --yes to switch without asking.\n", err);
            // Asked before staging: nothing was loaded to be undone.
            Assert.Empty(fake.Calls);
            Assert.False(fake.IsLoaded);
            Assert.Null(sandbox.Journal.Staged);
        }
    }

    [Fact]
    public void Upgrade_WhenTheKernelRefusesTheImage_ExitsWithKexecFailureAndJournalsNothing()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem().FailOn("LoadFile", 61 /* ENODATA: no signature */);
        (int code, _, string err, SwitchSandbox sandbox) = Run(tree, fake, null, "upgrade", "--now", "--yes");
        using (sandbox)
        {
            Assert.Equal((int)ExitCode.KexecFailed, code);
            Assert.StartsWith("rekernel: ", err);
            Assert.Null(sandbox.Journal.Pending);
            Assert.DoesNotContain("Reboot", fake.Calls);
        }
    }

    [Fact]
    public void Upgrade_NowWithWhen_IsAUsageError_AndStagesNothing()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        (int code, _, string err, SwitchSandbox sandbox) = Run(tree, fake, null, "upgrade", "--now", "--when", "+5min", "--yes");
        using (sandbox)
        {
            Assert.Equal((int)ExitCode.Usage, code);
            Assert.Contains("--now and --when exclude each other", err);
            Assert.Empty(fake.Calls);
        }
    }

    [Fact]
    public void Rhel8_EmptyKernelOpts_UpgradeDryRunIsRefused_InsteadOfPlanningOnlyPanic()
    {
        using TempBootTree tree = DebianTree.Create();
        var fake = new FakeKexecSystem();
        BootEntry empty = DebianTree.Entry() with { Cmdline = "" };
        using var sandbox = new SwitchSandbox().RunningDebian();
        MachineServices services = sandbox.ServicesWith(fake) with { Discover = _ => new BootInventory([empty], empty, Bootloader.Grub, []) };
        var stderr = new StringWriter();
        int code = CliApp.Run(["upgrade", "--dry-run", "--root", tree.HostPath], new CliConsole(new StringWriter(), stderr), services);
        Assert.Equal((int)ExitCode.Refused, code);
        Assert.Equal("rekernel: the command line planned for the entry 'Debian GNU/Linux, with Linux 6.1.0-53-amd64' (/boot/vmlinuz-6.1.0-53-amd64) has no root= although the running kernel's has one, so the new kernel would not find its root file system; fix the entry's options or add root=... with --append.\n", stderr.ToString());
        Assert.Empty(fake.Calls);
    }
}
