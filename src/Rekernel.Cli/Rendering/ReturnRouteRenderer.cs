using System.Text.Json;
using Rekernel.Journal;
using Rekernel.Switching;

namespace Rekernel.Cli.Rendering;

/// <summary>The return path as <c>status</c> and the dry run show it: one line of text, or the <c>returnPath</c> JSON object.</summary>
public static class ReturnRouteRenderer
{
    public static string Text(ReturnRoute route) => route.Path switch
    {
        { Mechanism: ReturnMechanism.GrubNextEntry } p => $"GRUB next_entry={p.Entry} in {p.File}: a firmware reboot after a failed switch starts the running kernel once",
        { } p => $"systemd-boot LoaderEntryOneShot={p.Entry}: a firmware reboot after a failed switch starts the running kernel once",
        null => $"none: {route.Reason}",
    };

    /// <summary><c>"returnPath": {"mechanism", "entry", "reason"}</c>; a null route writes JSON null.</summary>
    public static void WriteJson(Utf8JsonWriter w, ReturnRoute? route)
    {
        w.WritePropertyName("returnPath");
        if (route is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("mechanism", route.Path?.MechanismName);
        w.WriteString("entry", route.Path?.Entry);
        w.WriteString("reason", route.Reason);
        w.WriteEndObject();
    }
}
