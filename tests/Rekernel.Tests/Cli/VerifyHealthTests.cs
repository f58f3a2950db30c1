using System.Text.Json;
using Rekernel.Config;
using Rekernel.Health;
using Rekernel.Journal;
using Rekernel.Machine;
using Rekernel.Tests.Health;
using static Rekernel.Tests.Cli.SwitchSandbox;

namespace Rekernel.Tests.Cli;

/// <summary>verify after a switch that came through the kexec: the health checks decide between success and unhealthy.</summary>
public sealed class VerifyHealthTests : IDisposable
{
    private const string NextBoot = "33333333-cccc-4ccc-8ccc-333333333333";
    private readonly SwitchSandbox _box = new();
    private readonly FakeSys _sys;

    public VerifyHealthTests()
    {
        _sys = new FakeSys(_box.MachineDirectory).Device("virtio", "virtio0", "virtio_net").Device("virtio", "virtio1", "virtio_blk")
            .Interface("eth0", "up", "0x1003");
        _box.FailedUnits = [];
        _box.Stage();
        // What `rekernel load` kept at staging, in the boot that switches.
        _box.Journal.RecordHealth(HealthProbe.Take(new RunningSystem(_box.MachineDirectory), _box.BootId, T0, () => []));
    }

    public void Dispose()
    {
        _sys.Dispose();
        _box.Dispose();
    }

    private void Switched()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot(NewKernel, NextBoot, uptimeSeconds: 52.1, KexecCmdline);
        _box.Clock.Now = T0.AddMinutes(1);
    }

    [Fact]
    public void VirtioNetBlacklisted_VerifyIsUnhealthy_Exit10_NamingTheDevice()
    {
        Switched();
        _sys.Device("virtio", "virtio0", null);   // module_blacklist=virtio_net
        _sys.Interface("eth0", "down", "0x1002");

        SwitchRun run = _box.Run("verify");

        Assert.Equal(10, run.Exit);
        Assert.Equal(
            $"switch to {NewKernel} failed (unhealthy): {NewKernel} came up through this kexec but is unhealthy: drivers: virtio0 on bus virtio lost its driver virtio_net (1 more failed check: network).\n"
            + "  FAIL  drivers: virtio0 on bus virtio lost its driver virtio_net\n"
            + "  FAIL  network: eth0 was up when the kernel was staged and is not up now\n"
            + "  pass  kdump: no crash kernel was loaded when the kernel was staged\n"
            + "  pass  units: no unit failed that had not failed before\n",
            run.Out);
        SwitchRecord record = Assert.Single(_box.Journal.History);
        Assert.Equal(SwitchOutcome.Unhealthy, record.Outcome);
        Assert.Equal(["drivers", "network", "kdump", "units"], record.Checks.Select(c => c.Name));
        // It waited the whole settle timeout for them to come back before judging.
        Assert.Equal(TimeSpan.FromSeconds(60), _box.Sleeps.Aggregate(TimeSpan.Zero, (a, b) => a + b));
    }

    [Fact]
    public void HistoryExplain_ShowsTheChecksOfTheLastSwitch()
    {
        Switched();
        _sys.Device("virtio", "virtio0", null);
        Assert.Equal(10, _box.Run("verify").Exit);
        var output = new StringWriter();

        Rekernel.Cli.Rendering.ExplanationRenderer.WriteText(new Rekernel.Cli.CliConsole(output, TextWriter.Null),
            new Rekernel.Downtime.DowntimeExplanation { Switch = _box.Journal.History[0], SlowestToStart = [] }, TimeZoneInfo.Utc);

        Assert.EndsWith(
            "Health checks (rekernel verify):\n"
            + "  FAIL  drivers: virtio0 on bus virtio lost its driver virtio_net\n"
            + "  pass  network: eth0 is up again\n"
            + "  pass  kdump: no crash kernel was loaded when the kernel was staged\n"
            + "  pass  units: no unit failed that had not failed before\n",
            output.ToString());
    }

    [Fact]
    public void HealthyKexec_SuccessListsEveryCheck_InJsonToo()
    {
        Switched();

        SwitchRun run = _box.Run("verify --json");

        Assert.Equal(0, run.Exit);
        using JsonDocument doc = JsonDocument.Parse(run.Out);
        Assert.Equal("success", doc.RootElement.GetProperty("outcome").GetString());
        JsonElement[] checks = [.. doc.RootElement.GetProperty("checks").EnumerateArray()];
        Assert.Equal(["drivers", "network", "kdump", "units"], checks.Select(c => c.GetProperty("name").GetString()));
        Assert.All(checks, c => Assert.True(c.GetProperty("passed").GetBoolean()));
        Assert.Equal("eth0 is up again", checks[1].GetProperty("detail").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("switch").GetProperty("checks").GetArrayLength());
        Assert.Empty(_box.Sleeps);
    }

    [Fact]
    public void OperatorsHealthCommandFails_Unhealthy_TheCheckIsNamedAfterIt()
    {
        _box.Config = RekernelConfig.Defaults with { HealthCommands = [new HealthCommand("web", "echo 'connection refused' >&2; exit 7")] };
        Switched();

        SwitchRun run = _box.Run("verify --json");

        Assert.Equal(10, run.Exit);
        JsonElement last = JsonDocument.Parse(run.Out).RootElement.GetProperty("checks").EnumerateArray().Last();
        Assert.Equal("command: web", last.GetProperty("name").GetString());
        Assert.False(last.GetProperty("passed").GetBoolean());
        Assert.Equal("`echo 'connection refused' >&2; exit 7` exited with 7 (connection refused)", last.GetProperty("detail").GetString());
        Assert.Equal("unhealthy", JsonDocument.Parse(run.Out).RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public void SnapshotFromAnEarlierBoot_IsNotComparedWith()
    {
        // A snapshot of another boot describes another machine state (the kernel was staged again since).
        _box.Journal.RecordHealth(HealthProbe.Take(new RunningSystem(_box.MachineDirectory), "22222222-bbbb-4bbb-8bbb-222222222222", T0, () => []) with
        {
            Devices = [new BoundDevice("pci", "0000:00:05.0", "e1000")],
        });
        Switched();

        SwitchRun run = _box.Run("verify");

        Assert.Equal(0, run.Exit);
        Assert.Empty(Assert.Single(_box.Journal.History).Checks);
    }

    [Fact]
    public void CameBackOnTheOldKernel_NoHealthChecksRun()
    {
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot(OldKernel, NextBoot, uptimeSeconds: 40, "BOOT_IMAGE=/boot/vmlinuz-6.1.0-47-cloud-amd64 root=/dev/vda ro");
        _sys.Device("virtio", "virtio0", null);

        SwitchRun run = _box.Run("verify --json");

        Assert.Equal(8, run.Exit);
        Assert.Equal(0, JsonDocument.Parse(run.Out).RootElement.GetProperty("checks").GetArrayLength());
    }
}
