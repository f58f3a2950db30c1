using Rekernel.Fleet;
using Rekernel.Journal;
using Rekernel.Metrics;
using Rekernel.Tests.Cli;
using static Rekernel.Tests.Cli.SwitchSandbox;

namespace Rekernel.Tests.Metrics;

/// <summary>rekernel.prom in node_exporter's textfile convention, as verify and the agent write it.</summary>
public sealed class MetricsFileTests : IDisposable
{
    private const string NextBoot = "33333333-cccc-4ccc-8ccc-333333333333";
    private readonly SwitchSandbox _box = new();
    private readonly string _prom;

    public MetricsFileTests()
    {
        _box.MetricsRoot = _box.SandboxFile("metrics-root");
        _prom = Path.Join(_box.MetricsRoot, MetricsFile.DefaultPath);
        Directory.CreateDirectory(Path.GetDirectoryName(_prom)!);
    }

    public void Dispose() => _box.Dispose();

    private const string NoSwitchYet =
        "# HELP rekernel_switch_pending 1 when a kernel other than the running one is the target (a switch is pending), else 0.\n" +
        "# TYPE rekernel_switch_pending gauge\n" +
        "rekernel_switch_pending 1\n" +
        "# HELP rekernel_last_switch_outcome The outcome of the last settled switch: 1 for it, 0 for the others; all 0 before the first.\n" +
        "# TYPE rekernel_last_switch_outcome gauge\n" +
        "rekernel_last_switch_outcome{outcome=\"success\"} 0\n" +
        "rekernel_last_switch_outcome{outcome=\"fallback\"} 0\n" +
        "rekernel_last_switch_outcome{outcome=\"firmware-reboot\"} 0\n" +
        "rekernel_last_switch_outcome{outcome=\"unhealthy\"} 0\n" +
        "rekernel_last_switch_outcome{outcome=\"cancelled\"} 0\n" +
        "rekernel_last_switch_outcome{outcome=\"unverified\"} 0\n";

    private const string AgentWaiting =
        "# HELP rekernel_agent_state The fleet agent's state: 1 for it, 0 for the others.\n" +
        "# TYPE rekernel_agent_state gauge\n" +
        "rekernel_agent_state{state=\"idle\"} 0\n" +
        "rekernel_agent_state{state=\"waiting\"} 1\n" +
        "rekernel_agent_state{state=\"holding\"} 0\n" +
        "rekernel_agent_state{state=\"switching\"} 0\n" +
        "rekernel_agent_state{state=\"done\"} 0\n" +
        "rekernel_agent_state{state=\"failed\"} 0\n";

    [Fact]
    public void AgentWaitingBeforeAnySwitch_PendingWithNoOutcomeAndItsState()
    {
        Assert.Equal(NoSwitchYet + AgentWaiting, MetricsFile.Render(new HostMetrics(true, null, HostState.Waiting)));
    }

    [Fact]
    public void VerifyAfterASwitchWithDowntime_WritesTheOutcomeAndDowntime_AndKeepsTheAgentsLines()
    {
        Assert.True(MetricsFile.Write(_prom, new HostMetrics(true, null, HostState.Waiting)));
        _box.Stage();
        Assert.Equal(0, _box.Run("switch --yes").Exit);
        _box.Boot(NewKernel, NextBoot, 52.1, KexecCmdline);
        _box.Clock.Now = T0.AddMinutes(1);

        Assert.Equal(0, _box.Run("verify").Exit);

        Assert.Equal(
            NoSwitchYet.Replace("rekernel_switch_pending 1\n", "rekernel_switch_pending 0\n").Replace("{outcome=\"success\"} 0", "{outcome=\"success\"} 1") +
            "# HELP rekernel_last_switch_downtime_seconds Downtime of the last settled switch: from its request to the new kernel's start.\n" +
            "# TYPE rekernel_last_switch_downtime_seconds gauge\n" +
            "rekernel_last_switch_downtime_seconds 7.9\n" +
            AgentWaiting,
            File.ReadAllText(_prom));
        Assert.Equal([Path.GetFileName(_prom)], Directory.GetFiles(Path.GetDirectoryName(_prom)!).Select(Path.GetFileName));
    }

    [Fact]
    public void NodeExporterNotInstalled_NothingIsWritten()
    {
        Directory.Delete(Path.GetDirectoryName(_prom)!);
        Assert.Equal(11, _box.Run("verify").Exit);
        Assert.False(Directory.Exists(Path.GetDirectoryName(_prom)));
    }
}
