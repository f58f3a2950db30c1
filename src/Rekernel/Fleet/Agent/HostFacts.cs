namespace Rekernel.Fleet.Agent;

/// <summary>What the agent needs to know about its machine: this boot, the running kernel and the one it should run.</summary>
/// <param name="Target">The release rekernel would switch to (the configured target); null when none is known.</param>
public sealed record HostFacts(string BootId, string Running, string? Target)
{
    /// <summary>This machine's id (<c>/etc/machine-id</c>), the same across boots: two machines given one host id differ in it.</summary>
    public string? MachineId { get; init; }

    public bool SwitchPending => Target is not null && Target != Running;
}
