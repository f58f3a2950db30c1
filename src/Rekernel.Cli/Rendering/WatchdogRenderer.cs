using System.Text.Json;
using Rekernel.Machine;

namespace Rekernel.Cli.Rendering;

/// <summary>The watchdog guard as <c>status</c> and the dry run show it: one line of text, or the <c>watchdog</c> JSON object.</summary>
public static class WatchdogRenderer
{
    public static string Text(WatchdogGuard guard)
    {
        string device = guard.Device is null ? "" : $"{guard.Device}{(guard.Driver is null ? "" : $" ({guard.Driver})")}";
        return guard.Armed
            ? $"{device} stays armed across the jump: a new kernel that hangs is reset through firmware"
            : $"none: {guard.Reason}";
    }

    /// <summary><c>"watchdog": {"device", "driver", "armed", "reason", "identity", "timeoutSeconds"}</c>; a null guard writes JSON null.</summary>
    public static void WriteJson(Utf8JsonWriter w, WatchdogGuard? guard)
    {
        w.WritePropertyName("watchdog");
        if (guard is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("device", guard.Device);
        w.WriteString("driver", guard.Driver);
        w.WriteBoolean("armed", guard.Armed);
        w.WriteString("reason", guard.Reason);
        w.WriteString("identity", guard.Identity);
        if (guard.TimeoutSeconds is { } timeout) w.WriteNumber("timeoutSeconds", timeout);
        else w.WriteNull("timeoutSeconds");
        w.WriteEndObject();
    }
}
