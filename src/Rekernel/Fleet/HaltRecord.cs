using System.Text.Json.Serialization;

namespace Rekernel.Fleet;

/// <summary>Why a group stopped: no host takes a slot while this key exists (<c>fleet resume</c> deletes it).</summary>
/// <param name="Host">The host whose switch failed or went overdue; null when an operator halted the group.</param>
public sealed record HaltRecord(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("kernel")] string? Kernel,
    [property: JsonPropertyName("at")] DateTimeOffset At) : IFleetRecord;
