using System.Text.Json;
using Rekernel.Journal;
using static Rekernel.Tests.Cli.SwitchSandbox;

namespace Rekernel.Tests.Cli;

public sealed class VerifyCommandTests : IDisposable
{
    private const string NextBoot = "33333333-cccc-4ccc-8ccc-333333333333";
    private readonly SwitchSandbox _box = new();

    public VerifyCommandTests()
    {
        _box.Stage();
    }

    public void Dispose() => _box.Dispose();

    private void SwitchedThenBootedInto(string release, double uptime, DateTimeOffset now)
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot(release, NextBoot, uptime);
        _box.Clock.Now = now;
    }

    [Fact]
    public void NoSwitchRecorded_NothingToVerify()
    {
        SwitchRun run = _box.Run("verify");

        Assert.Equal(0, run.Exit);
        Assert.Equal("nothing to verify: no switch is pending.\n", run.Out);
    }

    [Fact]
    public void SameBoot_SwitchIsStillPending()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);

        SwitchRun run = _box.Run("verify");

        Assert.Equal(0, run.Exit);
        Assert.StartsWith($"switch to {NewKernel} still pending: requested 2025-06-01 10:00:00 +00:00", run.Out);
        Assert.Equal(SwitchOutcome.Pending, _box.Journal.Pending?.Outcome);
    }

    [Fact]
    public void CameUpOnTheNewKernel_SuccessWithDowntime()
    {
        // Requested at 10:00:00; at 10:01:00 the new boot has been up 52.1 s, so it started at 10:00:07.9.
        SwitchedThenBootedInto(NewKernel, uptime: 52.1, now: T0.AddMinutes(1));

        SwitchRun run = _box.Run("verify");

        Assert.Equal(0, run.Exit);
        Assert.Equal($"switch to {NewKernel} verified: success, downtime 7.9 s\n", run.Out);
        SwitchRecord record = Assert.Single(_box.Journal.History);
        Assert.Equal(SwitchOutcome.Success, record.Outcome);
        Assert.Equal(7.9, record.DowntimeSeconds!.Value, precision: 6);
        Assert.Equal(T0.AddMinutes(1), record.VerifiedAt);
        Assert.Equal("nothing to verify: no switch is pending.\n", _box.Run("verify").Out);
    }

    [Fact]
    public void CameBackOnTheOldKernel_FailedWithExitCode8()
    {
        SwitchedThenBootedInto(OldKernel, uptime: 40, now: T0.AddMinutes(2));

        SwitchRun run = _box.Run("verify");

        Assert.Equal((int)ExitCode.SwitchFailed, run.Exit);
        Assert.Equal(
            $"switch to {NewKernel} failed: the machine came back on {OldKernel}, not {NewKernel}: the new kernel probably panicked and the panic= fallback rebooted through firmware; check its console log.\n",
            run.Out);
        SwitchRecord record = Assert.Single(_box.Journal.History);
        Assert.Equal(SwitchOutcome.Failed, record.Outcome);
        Assert.Equal(80, record.DowntimeSeconds!.Value, precision: 6);
    }

    [Fact]
    public void ScheduledSwitch_DowntimeCountsFromTheScheduledTime()
    {
        Assert.Equal(0, _box.Run("switch --when +10min --yes").Exit);
        _box.Boot(NewKernel, NextBoot, uptimeSeconds: 30);
        _box.Clock.Now = T0.AddMinutes(10).AddSeconds(39.5);

        SwitchRun run = _box.Run("verify");

        Assert.Equal($"switch to {NewKernel} verified: success, downtime 9.5 s\n", run.Out);
    }

    [Fact]
    public void Json_ReportsStatusAndTheSettledRecord()
    {
        SwitchedThenBootedInto(NewKernel, uptime: 52.1, now: T0.AddMinutes(1));

        SwitchRun run = _box.Run("verify --json");

        using JsonDocument doc = JsonDocument.Parse(run.Out);
        Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
        JsonElement record = doc.RootElement.GetProperty("switch");
        Assert.Equal("success", record.GetProperty("outcome").GetString());
        Assert.Equal(7.9, record.GetProperty("downtimeSeconds").GetDouble());
        Assert.Equal(NewKernel, record.GetProperty("to").GetString());
    }

    [Fact]
    public void Json_NothingPending_HasNullSwitch()
    {
        using JsonDocument doc = JsonDocument.Parse(_box.Run("verify --json").Out);

        Assert.Equal("none", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("switch").ValueKind);
    }
}
