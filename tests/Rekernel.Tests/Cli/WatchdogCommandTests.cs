using System.Text.Json;
using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Operations;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Health;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Cli;

/// <summary>The watchdog guard as status and the dry run show it, and systemd's KExecWatchdogUSec set for a graceful switch when it survives the jump.</summary>
public sealed class WatchdogCommandTests : IDisposable
{
    private readonly SwitchSandbox _box = new SwitchSandbox().RunningDebian();

    public void Dispose() => _box.Dispose();

    private FakeSys Sys => new(_box.MachineDirectory);

    private (int Code, string Out, string Err) Cli(params string[] args)
    {
        using TempBootTree tree = DebianTree.Create();
        BootEntry newer = DebianTree.Entry();
        MachineServices services = _box.ServicesWith(new FakeKexecSystem()) with { Discover = _ => new BootInventory([newer], newer, Bootloader.Grub, []) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run([.. args, "--root", tree.HostPath], new CliConsole(stdout, stderr), services);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Status_QemuI6300esb_SaysTheKernelStopsIt_OnOneLineAndInJson()
    {
        Sys.Device("pci", "0000:00:03.0", "i6300ESB timer").Watchdog("watchdog0", "i6300ESB timer", "inactive", 30, "pci", "0000:00:03.0");

        (int code, string text, _) = Cli("status");
        Assert.Equal(0, code);
        Assert.Contains("Watchdog:            none: the watchdog core stops /dev/watchdog0 (i6300ESB timer) when this kernel hands over to kexec; boot with watchdog.stop_on_reboot=0 to keep it counting across the jump.\n", text);

        (code, string json, _) = Cli("status", "--json");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement watchdog = doc.RootElement.GetProperty("watchdog");
        Assert.Equal("/dev/watchdog0", watchdog.GetProperty("device").GetString());
        Assert.Equal("i6300ESB timer", watchdog.GetProperty("driver").GetString());
        Assert.False(watchdog.GetProperty("armed").GetBoolean());
        Assert.StartsWith("the watchdog core stops /dev/watchdog0", watchdog.GetProperty("reason").GetString());
        Assert.Equal(30, watchdog.GetProperty("timeoutSeconds").GetInt32());
    }

    [Fact]
    public void UpgradeDryRun_IpmiWatchdog_StaysArmedAcrossTheGracefulJump()
    {
        Sys.Module("ipmi_watchdog", ("timeout", "10"));

        (int code, string text, _) = Cli("upgrade", "--dry-run");
        Assert.Equal(0, code);
        Assert.Contains("  watchdog /dev/watchdog (ipmi_watchdog) stays armed across the jump: a new kernel that hangs is reset through firmware\n", text);

        (code, string json, _) = Cli("upgrade", "--dry-run", "--json");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement watchdog = doc.RootElement.GetProperty("watchdog");
        Assert.Equal("/dev/watchdog", watchdog.GetProperty("device").GetString());
        Assert.Equal("ipmi_watchdog", watchdog.GetProperty("driver").GetString());
        Assert.True(watchdog.GetProperty("armed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, watchdog.GetProperty("reason").ValueKind);
        Assert.Empty(_box.Watchdog.Armed);
    }

    [Fact]
    public void UpgradeDryRunNow_NoWatchdogDevice_GivesTheReasonWithNullDevice()
    {
        (int code, string json, _) = Cli("upgrade", "--dry-run", "--now", "--json");

        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement watchdog = doc.RootElement.GetProperty("watchdog");
        Assert.Equal(JsonValueKind.Null, watchdog.GetProperty("device").ValueKind);
        Assert.Equal(JsonValueKind.Null, watchdog.GetProperty("driver").ValueKind);
        Assert.False(watchdog.GetProperty("armed").GetBoolean());
        Assert.StartsWith("no watchdog device (/sys/class/watchdog is empty)", watchdog.GetProperty("reason").GetString());
    }

    [Fact]
    public void GracefulSwitch_IpmiWatchdog_HasSystemdArmItForTenMinutes_ThenSwitches()
    {
        Sys.Module("ipmi_watchdog", ("timeout", "10"));
        _box.Stage();

        Assert.Equal(0, _box.Run("switch --yes").Exit);

        Assert.Equal([TimeSpan.FromMinutes(10)], _box.Watchdog.Armed);
        Assert.Equal(1, _box.Systemd.Switches);
    }

    [Fact]
    public void GracefulSwitch_QemuI6300esbWithoutStopOnReboot0_ArmsNothing()
    {
        Sys.Device("pci", "0000:00:03.0", "i6300ESB timer").Watchdog("watchdog0", "i6300ESB timer", "inactive", 30, "pci", "0000:00:03.0");
        _box.Stage();

        Assert.Equal(0, _box.Run("switch --yes").Exit);

        Assert.Empty(_box.Watchdog.Armed);
        Assert.Equal(1, _box.Systemd.Switches);
    }

    [Fact]
    public void SystemdCannotBeAskedToArmIt_TheSwitchGoesOn_WithAWarning()
    {
        Sys.Device("pci", "0000:00:03.0", "i6300ESB timer").Watchdog("watchdog0", "i6300ESB timer", "inactive", 30, "pci", "0000:00:03.0")
            .Module("watchdog", ("stop_on_reboot", "0"));
        _box.Watchdog.Failure = new RekernelException(ExitCode.Refused, "org.freedesktop.systemd1 refused Set: org.freedesktop.DBus.Error.PropertyReadOnly: read-only.");
        _box.Stage();

        SwitchRun run = _box.Run("switch --yes");

        Assert.Equal(0, run.Exit);
        Assert.Contains("rekernel: warning: the watchdog is not armed for the jump: org.freedesktop.systemd1 refused Set: org.freedesktop.DBus.Error.PropertyReadOnly: read-only.\n", run.Err);
        Assert.Equal(1, _box.Systemd.Switches);
    }
}
