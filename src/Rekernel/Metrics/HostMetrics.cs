using Rekernel.Fleet;
using Rekernel.Journal;

namespace Rekernel.Metrics;

/// <summary>What rekernel tells Prometheus about a host: whether a switch is pending, how the last one went, and the agent's state.</summary>
/// <param name="SwitchPending">A kernel other than the running one is the target.</param>
/// <param name="LastSwitch">The newest settled switch in the journal; null when none was.</param>
/// <param name="AgentState">The fleet agent's state; null when the writer is not the agent (the agent's last lines are kept).</param>
public sealed record HostMetrics(bool SwitchPending, SwitchRecord? LastSwitch, HostState? AgentState);
