using System.Globalization;
using System.Text;
using Rekernel.Fleet;
using Rekernel.Fleet.Agent;
using Rekernel.Journal;

namespace Rekernel.Metrics;

/// <summary>
/// rekernel's metrics in node_exporter's textfile convention: one <c>rekernel.prom</c> in the collector's directory
/// (<c>/var/lib/prometheus/node-exporter/</c> by default), replaced atomically (a temporary file beside it, renamed)
/// so the collector never reads half a file. Written by <c>verify</c> and by the agent; only the agent knows its
/// state, so a write by <c>verify</c> keeps the agent's lines from the file as it was. Nothing is written when the
/// directory does not exist: node_exporter is not installed there.
/// </summary>
public static class MetricsFile
{
    public const string DefaultPath = "/var/lib/prometheus/node-exporter/rekernel.prom";
    private const string AgentState = "rekernel_agent_state";

    private static readonly SwitchOutcome[] Settled =
        [SwitchOutcome.Success, SwitchOutcome.Fallback, SwitchOutcome.FirmwareReboot, SwitchOutcome.Unhealthy, SwitchOutcome.Cancelled, SwitchOutcome.Unverified];

    /// <summary>
    /// Writes <paramref name="metrics"/> to <paramref name="path"/>; false when its directory does not exist or the
    /// write failed (metrics never fail a verify or stop the agent).
    /// </summary>
    public static bool Write(string path, HostMetrics metrics)
    {
        if (!Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path)))) return false;
        try
        {
            string? kept = metrics.AgentState is null && File.Exists(path) ? AgentLines(File.ReadAllText(path)) : null;
            new AtomicStateFileSystem().WriteFileAtomically(path, Encoding.UTF8.GetBytes(Render(metrics, kept)));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The file's text; <paramref name="keptAgentLines"/> stands in for the agent's state when <see cref="HostMetrics.AgentState"/> is null.</summary>
    public static string Render(HostMetrics metrics, string? keptAgentLines = null)
    {
        var text = new StringBuilder();
        Gauge(text, "rekernel_switch_pending", "1 when a kernel other than the running one is the target (a switch is pending), else 0.");
        text.Append(CultureInfo.InvariantCulture, $"rekernel_switch_pending {(metrics.SwitchPending ? 1 : 0)}\n");
        Gauge(text, "rekernel_last_switch_outcome", "The outcome of the last settled switch: 1 for it, 0 for the others; all 0 before the first.");
        foreach (SwitchOutcome outcome in Settled)
            text.Append(CultureInfo.InvariantCulture, $"rekernel_last_switch_outcome{{outcome=\"{JournalJson.OutcomeName(outcome)}\"}} {(metrics.LastSwitch?.Outcome == outcome ? 1 : 0)}\n");
        if (metrics.LastSwitch is { DowntimeSeconds: { } downtime })
        {
            Gauge(text, "rekernel_last_switch_downtime_seconds", "Downtime of the last settled switch: from its request to the new kernel's start.");
            text.Append(CultureInfo.InvariantCulture, $"rekernel_last_switch_downtime_seconds {downtime:0.###}\n");
        }
        if (metrics.AgentState is { } state)
        {
            Gauge(text, AgentState, "The fleet agent's state: 1 for it, 0 for the others.");
            foreach (HostState each in Enum.GetValues<HostState>())
                text.Append(CultureInfo.InvariantCulture, $"{AgentState}{{state=\"{FleetAgent.Name(each)}\"}} {(each == state ? 1 : 0)}\n");
        }
        else text.Append(keptAgentLines);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n");

    /// <summary>The agent-state lines (samples, HELP and TYPE) of a file this class wrote.</summary>
    private static string AgentLines(string file) =>
        string.Concat(file.Split('\n').Where(l => l.StartsWith(AgentState, StringComparison.Ordinal) || l.StartsWith($"# HELP {AgentState} ", StringComparison.Ordinal) || l.StartsWith($"# TYPE {AgentState} ", StringComparison.Ordinal)).Select(l => l + "\n"));
}
