using System.Text.Json.Serialization;

namespace Rekernel.Health;

/// <summary>The source-generated (de)serializer of <c>health.json</c>; see <see cref="HealthJson"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(HealthSnapshot))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;
