using System.Collections.Immutable;
using Rekernel.Config;

namespace Rekernel.Fleet.Agent;

/// <summary>How one host's agent behaves: who it is, when it may switch, and what it runs around the switch.</summary>
public sealed record AgentSettings
{
    public required string HostId { get; init; }

    /// <summary>When the host may switch (local time); null: at any time.</summary>
    public MaintenanceWindow? Window { get; init; }

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Local;

    /// <summary>Shell commands run after taking a slot and before staging (a drain); any failure halts the group.</summary>
    public ImmutableArray<string> PreSwitch { get; init; } = [];

    /// <summary>Shell commands run on the new boot after verify; only when all succeed is the slot released.</summary>
    public ImmutableArray<string> PostSwitch { get; init; } = [];

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the agent looks at etcd and its machine.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);
}
