using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rekernel.Health;

/// <summary>
/// <c>health.json</c>: a <see cref="HealthSnapshot"/> as System.Text.Json's source generator writes it (no
/// reflection, so AOT-safe). Malformed input, or a file missing a required member, throws <see cref="FormatException"/>.
/// </summary>
public static class HealthJson
{
    public static byte[] Bytes(HealthSnapshot snapshot) => JsonSerializer.SerializeToUtf8Bytes(snapshot, HealthJsonContext.Default.HealthSnapshot);

    public static HealthSnapshot Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, HealthJsonContext.Default.HealthSnapshot)
                ?? throw new FormatException("it holds null instead of a snapshot");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"it is not a health snapshot ({ex.Message})", ex);
        }
    }
}
