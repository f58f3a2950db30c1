using Rekernel.Discovery;
using Rekernel.Fleet;
using Rekernel.Journal;
using Rekernel.Metrics;

namespace Rekernel.Operations;

/// <summary>
/// Writes this host's node_exporter metrics (<see cref="MetricsFile"/>) after <c>verify</c> and after each agent
/// step: whether a switch is pending (as <c>status</c> sees it), the last settled switch, and the agent's state.
/// </summary>
public sealed class PublishMetrics(MachineServices services)
{
    /// <param name="agentState">The agent's state when the agent publishes; null from <c>verify</c>.</param>
    public void Run(HostState? agentState = null)
    {
        if (services.MetricsRoot is not { } root || services.Config().MetricsFile is not { } file) return;
        bool pending;
        try
        {
            pending = new Status(services).Run(new StatusRequest(new BootRoot(services.MachineDirectory))).SwitchPending;
        }
        catch (RekernelException)
        {
            pending = false;
        }
        SwitchRecord? last = services.Journal().History.FirstOrDefault(r => r.Outcome != SwitchOutcome.Pending);
        MetricsFile.Write(Path.Join(root, file.TrimStart('/')), new HostMetrics(pending, last, agentState));
    }
}
