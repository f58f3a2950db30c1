using System.Text.Json.Serialization;

namespace Rekernel.Fleet;

/// <summary>A host that holds one of its group's slots, since when, and for which kernel.</summary>
public sealed record SlotHolder(
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("kernel")] string Kernel,
    [property: JsonPropertyName("since")] DateTimeOffset Since);
