using System.Globalization;
using System.Text.Json;
using Rekernel.Downtime;
using Rekernel.Journal;

namespace Rekernel.Cli.Rendering;

/// <summary><c>rekernel history --explain</c>: the last switch's downtime by phase, and the units to tune.</summary>
public static class ExplanationRenderer
{
    public static void WriteText(CliConsole console, DowntimeExplanation e, TimeZoneInfo zone)
    {
        SwitchRecord r = e.Switch;
        TextWriter o = console.Out;
        string when = TimeZoneInfo.ConvertTime(r.SwitchStartedAt, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        o.WriteLine($"Last switch: {r.FromVersion} -> {r.ToVersion ?? "?"} at {when}, {JournalJson.OutcomeName(r.Outcome)}, downtime until the new kernel {Seconds(r.DowntimeSeconds)}");
        o.WriteLine();
        o.WriteLine("PHASE                               SECONDS  SOURCE");
        Phase(o, "shutdown (services stop, unmount)", e.ShutdownSeconds, e.Shutdown is null
            ? "journal of the switch's boot not found (persistent journald storage: mkdir /var/log/journal)"
            : "switch start -> last journal line of the old boot");
        Phase(o, "jump (kexec, purgatory)", e.JumpSeconds, "recorded downtime (until the new kernel) minus shutdown");
        Phase(o, "kernel until init", e.Startup?.KernelUntilInit, e.Startup is null ? "systemd-analyze: boot not finished yet" : "systemd-analyze (kernel + initrd)");
        Phase(o, $"userspace until {e.Startup?.Target ?? "the default target"}", e.Startup?.UserspaceUntilTarget, "systemd-analyze");
        Phase(o, "total, until services are up", e.UntilTargetSeconds, "sum of the above");
        Units(o, "Slowest to stop (old boot's journal):", e.Shutdown?.Slowest(DowntimeExplainer.UnitCount) ?? []);
        Units(o, "Slowest to start (systemd-analyze blame):", e.SlowestToStart);
        o.WriteLine();
        o.WriteLine("Health checks (rekernel verify):");
        if (r.Checks.Count == 0) o.WriteLine("  (none recorded)");
        CheckLines.Write(console, r.Checks);
    }

    public static void WriteJson(CliConsole console, DowntimeExplanation e) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("switch");
            JournalJson.WriteRecord(w, e.Switch);
            w.WriteStartObject("phases");
            Number(w, "shutdown", e.ShutdownSeconds);
            Number(w, "jump", e.JumpSeconds);
            Number(w, "kernelUntilInit", e.Startup?.KernelUntilInit);
            Number(w, "userspaceUntilTarget", e.Startup?.UserspaceUntilTarget);
            Number(w, "total", e.UntilTargetSeconds);
            if (e.Startup?.Target is { } target) w.WriteString("target", target);
            w.WriteEndObject();
            UnitArray(w, "slowestToStop", e.Shutdown?.Slowest(DowntimeExplainer.UnitCount) ?? []);
            UnitArray(w, "slowestToStart", e.SlowestToStart);
            w.WriteEndObject();
        });

    private static void Phase(TextWriter o, string name, double? seconds, string source) =>
        o.WriteLine($"{name,-34}  {(seconds is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-"),8}  {source}");

    private static void Units(TextWriter o, string title, IReadOnlyList<UnitTime> units)
    {
        o.WriteLine();
        o.WriteLine(title);
        if (units.Count == 0) o.WriteLine("  (none recorded)");
        foreach (UnitTime u in units) o.WriteLine($"  {u.Seconds.ToString("0.000", CultureInfo.InvariantCulture),8} s  {u.Unit}");
    }

    private static string Seconds(double? s) => s is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "unknown";

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, Math.Round(v, 3));
        else w.WriteNull(name);
    }

    private static void UnitArray(Utf8JsonWriter w, string name, IReadOnlyList<UnitTime> units)
    {
        w.WriteStartArray(name);
        foreach (UnitTime u in units)
        {
            w.WriteStartObject();
            w.WriteString("unit", u.Unit);
            w.WriteNumber("seconds", Math.Round(u.Seconds, 3));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
