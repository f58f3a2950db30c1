using System.Text.Json.Serialization;

namespace Rekernel.Fleet;

/// <summary>A group's rollout policy (<c>fleet init</c>): how many hosts may switch at once, the canary slices, and when a switch is overdue.</summary>
public sealed record GroupConfig(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("maxConcurrent")] int MaxConcurrent,
    [property: JsonPropertyName("slices")] string[] Slices,
    [property: JsonPropertyName("switchTimeoutSeconds")] int SwitchTimeoutSeconds) : IFleetRecord
{
    public const int DefaultSwitchTimeoutSeconds = 30 * 60;

    [JsonIgnore]
    public TimeSpan SwitchTimeout => TimeSpan.FromSeconds(SwitchTimeoutSeconds);
}
