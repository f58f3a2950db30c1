using System.Text.Json.Serialization;

namespace Rekernel.Fleet;

/// <summary>What a host's agent last reported, keyed by host id.</summary>
/// <param name="Machine">The machine id of the host that wrote it: another machine with the same host id is refused.</param>
/// <param name="SwitchBoot">The boot id the host switched away from; a different boot id means the switch happened.</param>
public sealed record HostRecord(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("bootId")] string BootId,
    [property: JsonPropertyName("running")] string Running,
    [property: JsonPropertyName("target")] string? Target,
    [property: JsonPropertyName("state")] HostState State,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("switchBoot")] string? SwitchBoot = null,
    [property: JsonPropertyName("detail")] string? Detail = null,
    [property: JsonPropertyName("machine")] string? Machine = null) : IFleetRecord;
