using System.Text.Json;
using Rekernel.Journal;
using static Rekernel.Tests.Cli.SwitchSandbox;

namespace Rekernel.Tests.Cli;

/// <summary>The one-shot GRUB entry through a switch's life on a Debian 12 machine: set before the jump, cleared when settled or failed.</summary>
public sealed class ReturnPathCommandTests : IDisposable
{
    private const string NextBoot = "33333333-cccc-4ccc-8ccc-333333333333";
    private readonly SwitchSandbox _box = new SwitchSandbox().WithDebianGrub();

    public ReturnPathCommandTests()
    {
        _box.Stage();
    }

    public void Dispose() => _box.Dispose();

    [Fact]
    public void Switch_SetsNextEntryToTheRunningKernel_BeforeTheJump_AndJournalsIt()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);

        Assert.Equal(GrubReturnEntry, _box.NextEntry);
        Assert.Equal(new ReturnPath(ReturnMechanism.GrubNextEntry, GrubReturnEntry, "/boot/grub/grubenv"), _box.Journal.Pending?.ReturnPath);
    }

    [Fact]
    public void GoodSwitch_VerifyClearsNextEntry_SoAPlainRebootBootsTheDefault()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot(NewKernel, NextBoot, 30, KexecCmdline);

        Assert.Equal(0, _box.Run("verify").Exit);

        Assert.Null(_box.NextEntry);
    }

    [Fact]
    public void FallbackThroughGrub_GrubConsumedTheEntry_VerifyReportsFallbackAndWritesNothing()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        // GRUB's 00_header: set next_entry= ; save_env next_entry.
        File.WriteAllBytes(_box.MachineFile("/boot/grub/grubenv"),
            Rekernel.Switching.GrubEnvBlock.With(File.ReadAllBytes(_box.MachineFile("/boot/grub/grubenv")), "next_entry", ""));
        _box.Boot(GrubRunning, NextBoot, 30, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-amd64 ro");

        SwitchRun run = _box.Run("verify");

        Assert.Equal(8, run.Exit);
        Assert.Equal("", _box.NextEntry);
        Assert.Equal("fallback", _box.Run("history --json").Out.Split('\n').Single(l => l.Contains("\"outcome\"")).Split('"')[3]);
    }

    [Fact]
    public void SystemdRefusesTheSwitch_NextEntryIsClearedAgain()
    {
        _box.Systemd.Failure = new RekernelException(ExitCode.Refused, "org.freedesktop.systemd1 refused StartUnit: access denied.");

        Assert.Equal((int)ExitCode.Refused, _box.Run("switch --yes").Exit);

        Assert.Null(_box.NextEntry);
    }

    [Fact]
    public void CancellingAScheduledSwitch_ClearsNextEntry()
    {
        Assert.Equal(0, _box.Run("switch --when +10min --yes").Exit);
        Assert.Equal(GrubReturnEntry, _box.NextEntry);

        Assert.Equal(0, _box.Run("switch --cancel").Exit);

        Assert.Null(_box.NextEntry);
    }

    [Fact]
    public void UnreadableGrubenv_RefusesTheSwitch_NothingSwitched()
    {
        File.WriteAllText(_box.MachineFile("/boot/grub/grubenv"), "not an environment block\n");

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal((int)ExitCode.Refused, run.Exit);
        Assert.Contains("cannot set GRUB's next_entry in /boot/grub/grubenv", run.Err);
        Assert.Equal(0, _box.Systemd.Switches);
        Assert.Equal(SwitchOutcome.Cancelled, Assert.Single(_box.Journal.History).Outcome);
    }

    [Fact]
    public void MachineWithoutBootloader_SwitchesWithoutReturnPath_AndSaysWhyAtSwitchTime()
    {
        using var plain = new SwitchSandbox();
        plain.Stage();

        SwitchRun run = plain.Run("switch --yes");

        Assert.Equal(0, run.Exit);
        Assert.Null(plain.Journal.Pending?.ReturnPath);
        Assert.Contains("rekernel: warning: no return path: no bootloader configuration was found (direct kernel boot?), so a firmware reboot starts whatever the firmware or hypervisor is set to boot.\n", run.Err);
    }

    [Fact]
    public void Status_ShowsTheReturnPathOnOneLine_AndInJson()
    {
        var output = new StringWriter();
        string tree = Path.Combine(Rekernel.Tests.TestPaths.Fixtures, "debian12");
        Assert.Equal(0, Rekernel.Cli.CliApp.Run(["status", "--root", tree], new Rekernel.Cli.CliConsole(output, new StringWriter()), _box.Services));
        Assert.Contains($"Return path:         GRUB next_entry={GrubReturnEntry} in /boot/grub/grubenv: a firmware reboot after a failed switch starts the running kernel once\n", output.ToString());

        var json = new StringWriter();
        Assert.Equal(0, Rekernel.Cli.CliApp.Run(["status", "--json", "--root", tree], new Rekernel.Cli.CliConsole(json, new StringWriter()), _box.Services));
        using JsonDocument doc = JsonDocument.Parse(json.ToString());
        JsonElement path = doc.RootElement.GetProperty("returnPath");
        Assert.Equal("grub-next-entry", path.GetProperty("mechanism").GetString());
        Assert.Equal(GrubReturnEntry, path.GetProperty("entry").GetString());
        Assert.Equal(JsonValueKind.Null, path.GetProperty("reason").ValueKind);
        Assert.Null(_box.NextEntry);
    }

    [Fact]
    public void HistoryJson_KeepsTheReturnPathThatWasSet()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);

        using JsonDocument doc = JsonDocument.Parse(_box.Run("history --json").Out);
        JsonElement path = doc.RootElement.GetProperty("switches")[0].GetProperty("returnPath");
        Assert.Equal("grub-next-entry", path.GetProperty("mechanism").GetString());
        Assert.Equal(GrubReturnEntry, path.GetProperty("entry").GetString());
    }

    [Fact]
    public void StatusJson_WritesTheGrubEntryPathWithALiteralGreaterThan()
    {
        var json = new StringWriter();
        string tree = Path.Combine(Rekernel.Tests.TestPaths.Fixtures, "debian12");
        Assert.Equal(0, Rekernel.Cli.CliApp.Run(["status", "--json", "--root", tree], new Rekernel.Cli.CliConsole(json, new StringWriter()), _box.Services));

        Assert.Contains($"\"entry\": \"{GrubReturnEntry}\"", json.ToString());
    }

    [Fact]
    public void ReturnPathArmed_StatusKeepsTheNewKernelAsDefault_AndShowsTheOneShotApart()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);

        var output = new StringWriter();
        Assert.Equal(0, Rekernel.Cli.CliApp.Run(["status", "--root", _box.MachineFile("/")], new Rekernel.Cli.CliConsole(output, new StringWriter()), _box.Services));
        string status = output.ToString();

        Assert.Contains("Bootloader default:  6.1.0-53-amd64 ", status);
        Assert.Contains($"GRUB next boot only: {GrubReturnEntry} (one-shot next_entry)\n", status);
    }
}
