namespace Rekernel.Fleet.Agent;

/// <summary>
/// The machine under an agent: the live one (<see cref="MachineBackend"/>, rekernel's own operations) or a
/// simulated one (<c>fleet simulate</c>). The agent's decisions are the same for both.
/// </summary>
public interface IHostBackend
{
    HostFacts Read();

    /// <summary>Why this machine would refuse the switch now (what an unattended <c>upgrade --dry-run</c> refuses); null when it would go ahead.</summary>
    string? NotReady();

    /// <summary>Stages the target kernel and starts a graceful switch into it; the machine goes down after this returns.</summary>
    void Switch();

    /// <summary>Whether a switch started in this boot is still under way (the machine has not gone down yet).</summary>
    bool SwitchUnderWay();

    /// <summary>After the switch's reboot: null when the new kernel came up as it should, else why not (one clause).</summary>
    string? Verify();

    /// <summary>Publishes the agent's state (the live machine: in its node_exporter metrics).</summary>
    void Report(HostState state);
}
