using System.Collections.Immutable;

namespace Rekernel.Config;

/// <summary>The <c>[fleet]</c> section of rekernel.conf: how <c>rekernel agent</c> and <c>rekernel fleet</c> reach etcd, and the agent's host and commands.</summary>
public sealed record FleetConfig
{
    public static readonly ImmutableArray<string> Keys =
        ["endpoints", "ca", "cert", "key", "user", "password_file", "group", "host_id", "pre_switch", "post_switch", "command_timeout", "poll_interval"];

    /// <summary>etcd client URLs, comma-separated, as given.</summary>
    public string? Endpoints { get; init; }
    public string? Ca { get; init; }
    public string? Cert { get; init; }
    public string? Key { get; init; }
    public string? User { get; init; }

    /// <summary>A file whose first line is the etcd user's password (kept out of the world-readable config).</summary>
    public string? PasswordFile { get; init; }
    public string? Group { get; init; }

    /// <summary>null: the machine id (<c>/etc/machine-id</c>).</summary>
    public string? HostId { get; init; }
    public ImmutableArray<string> PreSwitch { get; init; } = [];
    public ImmutableArray<string> PostSwitch { get; init; } = [];
    public int CommandTimeoutSeconds { get; init; } = 300;
    public int PollIntervalSeconds { get; init; } = 10;
}
