using System.Text.Json;
using Rekernel.Journal;
using static Rekernel.Tests.Cli.SwitchSandbox;

namespace Rekernel.Tests.Cli;

public sealed class VerifyCommandTests : IDisposable
{
    private const string NextBoot = "33333333-cccc-4ccc-8ccc-333333333333";
    // What GRUB passes when it boots its default entry through firmware: no rekernel.switch= token.
    private const string FirmwareCmdline = "BOOT_IMAGE=/boot/vmlinuz-6.1.0-53-cloud-amd64 root=/dev/vda ro console=ttyS0";
    private readonly SwitchSandbox _box = new();

    public VerifyCommandTests()
    {
        _box.Stage();
    }

    public void Dispose() => _box.Dispose();

    private void SwitchedThenBootedInto(string release, double uptime, DateTimeOffset now, string cmdline = KexecCmdline)
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot(release, NextBoot, uptime, cmdline);
        _box.Clock.Now = now;
    }

    [Fact]
    public void NoSwitchRecorded_NothingToVerify_ExitCode11()
    {
        SwitchRun run = _box.Run("verify");

        Assert.Equal(11, run.Exit);
        Assert.Equal("nothing to verify: no switch is pending.\n", run.Out);
    }

    [Fact]
    public void SameBoot_SwitchIsStillPending_ExitCode1()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);

        SwitchRun run = _box.Run("verify");

        Assert.Equal(1, run.Exit);
        Assert.StartsWith($"switch to {NewKernel} still pending: requested 2025-06-01 10:00:00 +00:00", run.Out);
        Assert.Equal(SwitchOutcome.Pending, _box.Journal.Pending?.Outcome);
    }

    [Fact]
    public void CameUpOnTheNewKernelThroughTheKexec_SuccessWithDowntime()
    {
        // Requested at 10:00:00; at 10:01:00 the new boot has been up 52.1 s, so it started at 10:00:07.9.
        SwitchedThenBootedInto(NewKernel, uptime: 52.1, now: T0.AddMinutes(1));

        SwitchRun run = _box.Run("verify");

        Assert.Equal(0, run.Exit);
        Assert.Equal($"switch to {NewKernel} verified: success, downtime 7.9 s.\n", run.Out);
        SwitchRecord record = Assert.Single(_box.Journal.History);
        Assert.Equal(SwitchOutcome.Success, record.Outcome);
        Assert.Equal(7.9, record.DowntimeSeconds!.Value, precision: 6);
        Assert.Equal(T0.AddMinutes(1), record.VerifiedAt);
        Assert.Equal("nothing to verify: no switch is pending.\n", _box.Run("verify").Out);
    }

    [Fact]
    public void CameBackOnTheOldKernel_FallbackWithExitCode8()
    {
        SwitchedThenBootedInto(OldKernel, uptime: 40, now: T0.AddMinutes(2), cmdline: "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-cloud-amd64 root=/dev/vda ro");

        SwitchRun run = _box.Run("verify");

        Assert.Equal(8, run.Exit);
        Assert.Equal(
            $"switch to {NewKernel} failed (fallback): the machine came back on {OldKernel}, not {NewKernel}: the new kernel probably panicked and the panic= fallback rebooted through firmware; check its console log.\n",
            run.Out);
        SwitchRecord record = Assert.Single(_box.Journal.History);
        Assert.Equal(SwitchOutcome.Fallback, record.Outcome);
        Assert.Equal(80, record.DowntimeSeconds!.Value, precision: 6);
    }

    [Fact]
    public void TargetKernelUpWithoutTheToken_FirmwareRebootWithExitCode9()
    {
        SwitchedThenBootedInto(NewKernel, uptime: 40, now: T0.AddMinutes(2), cmdline: FirmwareCmdline);

        SwitchRun run = _box.Run("verify --json");

        Assert.Equal(9, run.Exit);
        using JsonDocument doc = JsonDocument.Parse(run.Out);
        Assert.Equal("firmware-reboot", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(
            $"{NewKernel} runs but came up through a firmware reboot, not this kexec (rekernel.switch=0123456789ab is missing from /proc/cmdline); the jump probably failed and the bootloader started its default",
            doc.RootElement.GetProperty("switch").GetProperty("detail").GetString());
        Assert.Equal(SwitchOutcome.FirmwareReboot, Assert.Single(_box.Journal.History).Outcome);
    }

    [Fact]
    public void TokenOfAnEarlierSwitch_IsNoProofOfThisOne()
    {
        SwitchedThenBootedInto(NewKernel, uptime: 40, now: T0.AddMinutes(2), cmdline: "root=/dev/vda ro rekernel.switch=ffffffffffff");

        Assert.Equal(9, _box.Run("verify").Exit);
    }

    [Fact]
    public void KernelStagedByAnotherTool_WithoutToken_IsJudgedByTheReleaseAlone()
    {
        _box.Journal.ClearStaged();
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot("6.1.0-99-cloud-amd64", NextBoot, 30, FirmwareCmdline);

        Assert.Equal(0, _box.Run("verify").Exit);
    }

    [Fact]
    public void ScheduledSwitch_DowntimeCountsFromTheScheduledTime()
    {
        Assert.Equal(0, _box.Run("switch --when +10min --yes").Exit);
        _box.Boot(NewKernel, NextBoot, uptimeSeconds: 30, KexecCmdline);
        _box.Clock.Now = T0.AddMinutes(10).AddSeconds(39.5);

        SwitchRun run = _box.Run("verify");

        Assert.Equal($"switch to {NewKernel} verified: success, downtime 9.5 s.\n", run.Out);
    }

    [Fact]
    public void Json_ReportsOutcomeAndTheSettledRecord()
    {
        SwitchedThenBootedInto(NewKernel, uptime: 52.1, now: T0.AddMinutes(1));

        SwitchRun run = _box.Run("verify --json");

        using JsonDocument doc = JsonDocument.Parse(run.Out);
        Assert.Equal("success", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        JsonElement record = doc.RootElement.GetProperty("switch");
        Assert.Equal("success", record.GetProperty("outcome").GetString());
        Assert.Equal(7.9, record.GetProperty("downtimeSeconds").GetDouble());
        Assert.Equal(NewKernel, record.GetProperty("to").GetString());
        Assert.Equal(Token, record.GetProperty("token").GetString());
    }

    [Fact]
    public void Json_NothingPending_HasNullSwitch()
    {
        using JsonDocument doc = JsonDocument.Parse(_box.Run("verify --json").Out);

        Assert.Equal("none", doc.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("switch").ValueKind);
    }

    [Fact]
    public void LoadedThenRebootedThroughFirmwareOntoTheTarget_FirmwareRebootWithExitCode9_ReportedOnce()
    {
        _box.Boot(NewKernel, NextBoot, uptimeSeconds: 40, FirmwareCmdline);

        SwitchRun run = _box.Run("verify");

        Assert.Equal(9, run.Exit);
        Assert.Contains(
            $"{NewKernel} runs but came up through a firmware reboot after `rekernel load`, not through a kexec (rekernel.switch=0123456789ab is missing from /proc/cmdline); no switch was requested, so the bootloader started its default",
            run.Out);
        SwitchRecord record = Assert.Single(_box.Journal.History);
        Assert.Equal(SwitchOutcome.FirmwareReboot, record.Outcome);
        Assert.Equal(SwitchMode.LoadOnly, record.Mode);
        Assert.Equal(OldKernel, record.FromVersion);
        Assert.Null(record.DowntimeSeconds);
        Assert.Null(_box.Journal.Staged);
        Assert.Equal(11, _box.Run("verify").Exit);
    }

    [Fact]
    public void LoadedByAnOlderVersion_ThenRebootedThroughFirmware_RecordSaysTheOriginIsUnknown()
    {
        _box.Journal.RecordStaged(_box.Journal.Staged! with { From = null });
        _box.Boot(NewKernel, NextBoot, uptimeSeconds: 40, FirmwareCmdline);

        Assert.Equal(9, _box.Run("verify").Exit);

        Assert.Equal("unknown", Assert.Single(_box.Journal.History).FromVersion);
    }

    [Fact]
    public void LoadedThenKexecRunByHand_Success()
    {
        _box.Boot(NewKernel, NextBoot, uptimeSeconds: 40, KexecCmdline);

        Assert.Equal(0, _box.Run("verify").Exit);
        Assert.Equal(SwitchOutcome.Success, Assert.Single(_box.Journal.History).Outcome);
    }

    [Fact]
    public void LoadedThenRebootedOntoAnotherKernel_NothingToVerify_StagedRecordForgotten()
    {
        _box.Boot(OldKernel, NextBoot, uptimeSeconds: 40, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-cloud-amd64 root=/dev/vda ro");

        SwitchRun run = _box.Run("verify");

        Assert.Equal(11, run.Exit);
        Assert.Empty(_box.Journal.History);
        Assert.Null(_box.Journal.Staged);
    }

    [Fact]
    public void LoadedInThisBoot_NothingToVerifyYet_StagedRecordKept()
    {
        Assert.Equal(11, _box.Run("verify").Exit);
        Assert.Equal(NewKernel, _box.Journal.Staged?.Version);
    }
}
