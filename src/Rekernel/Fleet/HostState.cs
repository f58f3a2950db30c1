using System.Text.Json.Serialization;

namespace Rekernel.Fleet;

/// <summary>Where a host's agent is in its cycle (kept in etcd so that a restarted agent, or the next boot, resumes there).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HostState>))]
public enum HostState
{
    /// <summary>Runs its target kernel, or has none to switch to.</summary>
    [JsonStringEnumMemberName("idle")] Idle,
    /// <summary>A switch is pending; waiting for the window, a slot, or the group's halt to be lifted.</summary>
    [JsonStringEnumMemberName("waiting")] Waiting,
    /// <summary>Holds a slot; running the pre-switch commands.</summary>
    [JsonStringEnumMemberName("holding")] Holding,
    /// <summary>Staged and switching; the record's <c>switchBoot</c> is the boot it left.</summary>
    [JsonStringEnumMemberName("switching")] Switching,
    /// <summary>Switched and verified; its slot is released.</summary>
    [JsonStringEnumMemberName("done")] Done,
    /// <summary>The switch failed; the host keeps its slot and the group is halted.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
