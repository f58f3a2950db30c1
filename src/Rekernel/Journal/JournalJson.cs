using System.Globalization;
using System.Text.Json;
using Rekernel.Health;

namespace Rekernel.Journal;

/// <summary>
/// The on-disk JSON of the journal and of <c>staged.json</c>, written with <see cref="Utf8JsonWriter"/> and read
/// with <see cref="JsonDocument"/> (no reflection, so AOT-safe). Malformed input throws <see cref="FormatException"/>
/// with a message that says where.
/// </summary>
public static class JournalJson
{
    public const int FormatVersion = 1;
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static byte[] JournalBytes(IReadOnlyList<SwitchRecord> oldestFirst) => Document(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("formatVersion", FormatVersion);
        w.WriteStartArray("switches");
        foreach (SwitchRecord record in oldestFirst) WriteRecord(w, record);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] StagedBytes(StagedKernel staged) => Document(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("formatVersion", FormatVersion);
        w.WriteString("version", staged.Version);
        w.WriteString("entryId", staged.EntryId);
        w.WriteString("kernel", staged.KernelPath);
        w.WriteStartArray("initrds");
        foreach (string initrd in staged.Initrds) w.WriteStringValue(initrd);
        w.WriteEndArray();
        w.WriteString("cmdline", staged.Cmdline);
        w.WriteString("token", staged.Token);
        w.WriteString("stagedAt", staged.StagedAt.ToUniversalTime());
        w.WriteString("bootId", staged.BootId);
        w.WriteString("from", staged.From);
        w.WriteString("loader", staged.Loader);
        w.WriteString("loaderReason", staged.LoaderReason);
        w.WriteEndObject();
    });

    /// <summary>One switch as an object; also the shape of each element of <c>rekernel history --json</c>.</summary>
    public static void WriteRecord(Utf8JsonWriter w, SwitchRecord record)
    {
        w.WriteStartObject();
        w.WriteString("from", record.FromVersion);
        w.WriteString("to", record.ToVersion);
        w.WriteString("entryId", record.EntryId);
        w.WriteString("kernel", record.KernelPath);
        w.WriteString("cmdline", record.Cmdline);
        w.WriteString("token", record.Token);
        w.WriteString("requestedAt", record.RequestedAt.ToUniversalTime());
        WriteTime(w, "scheduledFor", record.ScheduledFor);
        w.WriteString("mode", ModeName(record.Mode));
        w.WriteString("outcome", OutcomeName(record.Outcome));
        WriteTime(w, "verifiedAt", record.VerifiedAt);
        if (record.DowntimeSeconds is { } d) w.WriteNumber("downtimeSeconds", Math.Round(d, 3));
        else w.WriteNull("downtimeSeconds");
        w.WriteString("bootId", record.BootId);
        w.WritePropertyName("returnPath");
        WriteReturnPath(w, record.ReturnPath);
        w.WriteString("detail", record.Detail);
        w.WriteString("loader", record.Loader);
        w.WriteString("loaderReason", record.LoaderReason);
        WriteChecks(w, record.Checks);
        w.WriteEndObject();
    }

    /// <summary>A return path as the journal keeps it, or JSON null.</summary>
    private static void WriteReturnPath(Utf8JsonWriter w, ReturnPath? path)
    {
        if (path is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("mechanism", path.MechanismName);
        w.WriteString("entry", path.Entry);
        w.WriteString("file", path.File);
        w.WriteEndObject();
    }

    private static ReturnPath? ReadReturnPath(JsonElement o, string where)
    {
        if (!o.TryGetProperty("returnPath", out JsonElement p) || p.ValueKind == JsonValueKind.Null) return null;
        where += ": \"returnPath\"";
        JsonElement path = RequireObject(p, where);
        string mechanism = RequiredString(path, "mechanism", where);
        return new ReturnPath(
            ReturnPath.MechanismNamed(mechanism) ?? throw new FormatException($"{where}: unknown mechanism \"{mechanism}\""),
            RequiredString(path, "entry", where),
            RequiredString(path, "file", where));
    }

    /// <summary>The <c>checks</c> array of a record and of <c>verify --json</c>: <c>{"name", "passed", "detail"}</c> each.</summary>
    public static void WriteChecks(Utf8JsonWriter w, IReadOnlyList<HealthCheck> checks)
    {
        w.WriteStartArray("checks");
        foreach (HealthCheck c in checks)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteBoolean("passed", c.Passed);
            w.WriteString("detail", c.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>The records of a journal file, oldest first.</summary>
    public static IReadOnlyList<SwitchRecord> ReadJournal(ReadOnlyMemory<byte> json) => Utf8Checked(() => ReadJournalChecked(json));

    public static StagedKernel ReadStaged(ReadOnlyMemory<byte> json) => Utf8Checked(() => ReadStagedChecked(json));

    // JsonDocument checks UTF-8 only when a string is read, and reports it as InvalidOperationException.
    private static T Utf8Checked<T>(Func<T> read)
    {
        try { return read(); }
        catch (InvalidOperationException ex) { throw new FormatException("it holds text that is not valid UTF-8 (overwritten?)", ex); }
    }

    private static IReadOnlyList<SwitchRecord> ReadJournalChecked(ReadOnlyMemory<byte> json)
    {
        using JsonDocument doc = Parse(json);
        JsonElement root = RequireObject(doc.RootElement, "the file");
        CheckVersion(root);
        if (!root.TryGetProperty("switches", out JsonElement switches) || switches.ValueKind != JsonValueKind.Array)
            throw new FormatException("it has no \"switches\" array");
        var records = new List<SwitchRecord>();
        int index = 0;
        foreach (JsonElement item in switches.EnumerateArray()) records.Add(ReadRecord(item, ++index));
        return records;
    }

    private static StagedKernel ReadStagedChecked(ReadOnlyMemory<byte> json)
    {
        using JsonDocument doc = Parse(json);
        JsonElement o = RequireObject(doc.RootElement, "the file");
        CheckVersion(o);
        const string where = "the staged kernel";
        return new StagedKernel
        {
            Version = RequiredString(o, "version", where),
            EntryId = OptionalString(o, "entryId", where),
            KernelPath = RequiredString(o, "kernel", where),
            Initrds = o.TryGetProperty("initrds", out JsonElement list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"{where}: \"initrds\" holds a non-string"))]
                : [],
            Cmdline = RequiredString(o, "cmdline", where),
            Token = OptionalString(o, "token", where),
            StagedAt = RequiredTime(o, "stagedAt", where),
            BootId = RequiredString(o, "bootId", where),
            From = OptionalString(o, "from", where),
            Loader = OptionalString(o, "loader", where),
            LoaderReason = OptionalString(o, "loaderReason", where),
        };
    }

    public static string ModeName(SwitchMode mode) => mode switch
    {
        SwitchMode.Graceful => "graceful",
        SwitchMode.Now => "now",
        SwitchMode.Scheduled => "scheduled",
        SwitchMode.LoadOnly => "load-only",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static string OutcomeName(SwitchOutcome outcome) => outcome switch
    {
        SwitchOutcome.Pending => "pending",
        SwitchOutcome.Success => "success",
        SwitchOutcome.Fallback => "fallback",
        SwitchOutcome.FirmwareReboot => "firmware-reboot",
        SwitchOutcome.Unhealthy => "unhealthy",
        SwitchOutcome.Cancelled => "cancelled",
        SwitchOutcome.Unverified => "unverified",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static SwitchRecord ReadRecord(JsonElement item, int index)
    {
        string where = $"switch #{index.ToString(CultureInfo.InvariantCulture)}";
        JsonElement o = RequireObject(item, where);
        return new SwitchRecord
        {
            FromVersion = RequiredString(o, "from", where),
            ToVersion = OptionalString(o, "to", where),
            EntryId = OptionalString(o, "entryId", where),
            KernelPath = OptionalString(o, "kernel", where),
            Cmdline = OptionalString(o, "cmdline", where),
            Token = OptionalString(o, "token", where),
            RequestedAt = RequiredTime(o, "requestedAt", where),
            ScheduledFor = OptionalTime(o, "scheduledFor", where),
            Mode = RequiredString(o, "mode", where) switch
            {
                "graceful" => SwitchMode.Graceful,
                "now" => SwitchMode.Now,
                "scheduled" => SwitchMode.Scheduled,
                "load-only" => SwitchMode.LoadOnly,
                var other => throw new FormatException($"{where}: unknown mode \"{other}\""),
            },
            Outcome = RequiredString(o, "outcome", where) switch
            {
                "pending" => SwitchOutcome.Pending,
                "success" => SwitchOutcome.Success,
                "fallback" or "failed" => SwitchOutcome.Fallback,
                "firmware-reboot" => SwitchOutcome.FirmwareReboot,
                "unhealthy" => SwitchOutcome.Unhealthy,
                "cancelled" => SwitchOutcome.Cancelled,
                "unverified" => SwitchOutcome.Unverified,
                var other => throw new FormatException($"{where}: unknown outcome \"{other}\""),
            },
            VerifiedAt = OptionalTime(o, "verifiedAt", where),
            DowntimeSeconds = o.TryGetProperty("downtimeSeconds", out JsonElement d) && d.ValueKind == JsonValueKind.Number
                ? d.GetDouble()
                : null,
            BootId = RequiredString(o, "bootId", where),
            ReturnPath = ReadReturnPath(o, where),
            Detail = OptionalString(o, "detail", where),
            Loader = OptionalString(o, "loader", where),
            LoaderReason = OptionalString(o, "loaderReason", where),
            Checks = ReadChecks(o, where),
        };
    }

    /// <summary>The optional <c>checks</c> array (records written before health checks existed have none).</summary>
    private static IReadOnlyList<HealthCheck> ReadChecks(JsonElement o, string where)
    {
        if (!o.TryGetProperty("checks", out JsonElement list) || list.ValueKind == JsonValueKind.Null) return [];
        if (list.ValueKind != JsonValueKind.Array) throw new FormatException($"{where}: \"checks\" is not an array");
        // The shared empty list, as a new record has: a record read back equals the one written.
        if (list.GetArrayLength() == 0) return [];
        return [.. list.EnumerateArray().Select(e =>
        {
            JsonElement c = RequireObject(e, $"{where}: a check");
            return new HealthCheck(
                RequiredString(c, "name", where),
                c.TryGetProperty("passed", out JsonElement passed) && passed.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? passed.GetBoolean()
                    : throw new FormatException($"{where}: a check has no true or false \"passed\""),
                RequiredString(c, "detail", where));
        })];
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            throw new FormatException($"it is not valid JSON at line {line.ToString(CultureInfo.InvariantCulture)} (cut short or overwritten?)", ex);
        }
    }

    private static void CheckVersion(JsonElement root)
    {
        if (root.TryGetProperty("formatVersion", out JsonElement v) && v.ValueKind == JsonValueKind.Number
            && v.TryGetInt32(out int version) && version > FormatVersion)
            throw new FormatException($"it was written in format {version.ToString(CultureInfo.InvariantCulture)} by a newer rekernel");
    }

    private static JsonElement RequireObject(JsonElement e, string where) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new FormatException($"{where} is not a JSON object");

    private static string RequiredString(JsonElement o, string name, string where) =>
        OptionalString(o, name, where) ?? throw new FormatException($"{where} has no \"{name}\"");

    private static string? OptionalString(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"{where}: \"{name}\" is not a string");
    }

    private static DateTimeOffset RequiredTime(JsonElement o, string name, string where) =>
        OptionalTime(o, name, where) ?? throw new FormatException($"{where} has no \"{name}\"");

    private static DateTimeOffset? OptionalTime(JsonElement o, string name, string where)
    {
        if (!o.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out DateTimeOffset t)
            ? t
            : throw new FormatException($"{where}: \"{name}\" is not an ISO 8601 time");
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t) w.WriteString(name, t.ToUniversalTime());
        else w.WriteNull(name);
    }

    private static byte[] Document(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented)) write(writer);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
