namespace Rekernel.Fleet.Agent;

/// <summary>What the agent needs to know about its machine: this boot, the running kernel and the one it should run.</summary>
/// <param name="Target">The release rekernel would switch to (the configured target); null when none is known.</param>
public sealed record HostFacts(string BootId, string Running, string? Target)
{
    public bool SwitchPending => Target is not null && Target != Running;
}
