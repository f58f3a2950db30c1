using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Rekernel.Fleet.Etcd;

namespace Rekernel.Fleet;

/// <summary>
/// Reads and writes the JSON values of <see cref="FleetKeys"/>. A value that does not parse, or has a format this
/// rekernel does not know, stops the reader with the key and how to repair it: a host never switches on a guess.
/// </summary>
public static class FleetRecords
{
    internal static FleetJsonContext Json => FleetJsonContext.Default;

    public static byte[] Encode<T>(T record, JsonTypeInfo<T> type) where T : IFleetRecord =>
        JsonSerializer.SerializeToUtf8Bytes(record, type);

    /// <summary>The record in <paramref name="kv"/>, or null when the key does not exist.</summary>
    public static T? Decode<T>(EtcdWire.KeyValue? kv, JsonTypeInfo<T> type) where T : class, IFleetRecord
    {
        if (kv is null) return null;
        string key = Encoding.UTF8.GetString(kv.Key);
        T? record;
        try
        {
            using var document = JsonDocument.Parse(kv.Value ?? []);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.Number)
                throw Invalid(key, "has no \"format\" number");
            if (format.GetInt32() != IFleetRecord.CurrentFormat)
                throw new RekernelException(ExitCode.FleetHalted, $"etcd key {key} has format {format.GetRawText()}, which this rekernel (format {IFleetRecord.CurrentFormat}) does not read; upgrade rekernel on this host, or rewrite the key with this version's `rekernel fleet` commands.");
            record = document.RootElement.Deserialize(type);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw Invalid(key, $"is not valid JSON for rekernel ({ex.Message.TrimEnd('.')})");
        }
        return record ?? throw Invalid(key, "is null");
    }

    private static RekernelException Invalid(string key, string why) =>
        new(ExitCode.FleetHalted, $"etcd key {key} {why}, so nothing is switched; repair or delete it (`rekernel fleet init` rewrites a group's config, `rekernel fleet forget` a host's record).");
}
