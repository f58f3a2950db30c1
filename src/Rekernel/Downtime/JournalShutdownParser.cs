using System.Text.Json;

namespace Rekernel.Downtime;

/// <summary>
/// Reads <c>journalctl -o json</c> output (one object per line) of the boot that requested a switch. Unit stop
/// times pair systemd's "Stopping" and "Stopped" job messages by their catalog ids (sd-messages.h), so the
/// result does not depend on the language or the units' descriptions.
/// </summary>
public static class JournalShutdownParser
{
    /// <summary>SD_MESSAGE_UNIT_STOPPING.</summary>
    public const string UnitStopping = "de5b426a63be47a7b6ac3eaac82e2f6f";

    /// <summary>SD_MESSAGE_UNIT_STOPPED.</summary>
    public const string UnitStopped = "9d1aaa27d60140bd96365438aad20286";

    /// <summary>The timeline of entries at or after <paramref name="since"/>; null when there are none. Unreadable lines are skipped.</summary>
    public static ShutdownTimeline? Parse(IEnumerable<string> jsonLines, DateTimeOffset since)
    {
        DateTimeOffset? first = null, last = null;
        var stopping = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var units = new List<UnitTime>();
        foreach (string line in jsonLines)
        {
            if (Entry(line) is not { } e || e.Time < since) continue;
            first = first is { } f && f <= e.Time ? f : e.Time;
            last = last is { } l && l >= e.Time ? l : e.Time;
            if (e.Unit is null) continue;
            if (e.MessageId == UnitStopping) stopping[e.Unit] = e.Time;
            else if (e.MessageId == UnitStopped && stopping.Remove(e.Unit, out DateTimeOffset began))
                units.Add(new UnitTime(e.Unit, (e.Time - began).TotalSeconds));
        }
        return first is { } start && last is { } end ? new ShutdownTimeline { FirstEntry = start, LastEntry = end, Units = units } : null;
    }

    private readonly record struct JournalEntry(DateTimeOffset Time, string? Unit, string? MessageId);

    private static JournalEntry? Entry(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("__REALTIME_TIMESTAMP", out JsonElement ts) || ts.ValueKind != JsonValueKind.String
                || !long.TryParse(ts.GetString(), out long micros)) return null;
            return new JournalEntry(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), Text(root, "UNIT"), Text(root, "MESSAGE_ID"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // journald writes a field as an array of bytes when it is not valid UTF-8: such a unit name is not one of ours.
    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
