using System.CommandLine;
using System.Globalization;
using Rekernel.Cli.Rendering;
using Rekernel.Downtime;
using Rekernel.Journal;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel history</c>: past switches, newest first, with outcome and downtime.</summary>
public static class HistoryCommand
{
    public static Command Create(CliConsole console, MachineServices services)
    {
        Option<bool> json = CommonOptions.Json();
        var explain = new Option<bool>("--explain")
        {
            Description = "Break the last switch's downtime into phases (shutdown, kernel, userspace) and name the units slowest to stop and to start (reads journalctl and systemd-analyze).",
        };
        var command = new Command("history", "List past switches, newest first, with their outcome and downtime.") { json, explain };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            SwitchJournal journal = services.Journal();
            IReadOnlyList<SwitchRecord> history = journal.History;
            if (parsed.GetValue(explain))
            {
                SwitchRecord last = history.FirstOrDefault() ?? throw new RekernelException(ExitCode.NotFound,
                    $"no switch is recorded in {journal.JournalPath}, so there is no downtime to explain; switch with rekernel upgrade first.");
                DowntimeExplanation explanation = new DowntimeExplainer().Explain(last);
                if (parsed.GetValue(json)) ExplanationRenderer.WriteJson(console, explanation);
                else ExplanationRenderer.WriteText(console, explanation, services.TimeZone);
            }
            else if (parsed.GetValue(json)) WriteJson(console, history);
            else WriteTable(console, history, services.TimeZone, journal.JournalPath);
            return (int)ExitCode.Success;
        }));
        return command;
    }

    private static void WriteJson(CliConsole console, IReadOnlyList<SwitchRecord> history) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("switches");
            foreach (SwitchRecord r in history) JournalJson.WriteRecord(w, r);
            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteTable(CliConsole console, IReadOnlyList<SwitchRecord> history, TimeZoneInfo zone, string path)
    {
        if (history.Count == 0)
        {
            console.Out.WriteLine($"No switches recorded in {path}.");
            return;
        }
        string[] header = ["REQUESTED", "FROM", "TO", "MODE", "OUTCOME", "DOWNTIME"];
        List<string[]> rows = [.. history.Select(r => Row(r, zone))];
        int[] widths = [.. header.Select((h, i) => Math.Max(h.Length, rows.Max(row => row[i].Length)))];
        console.Out.WriteLine(Line(header, widths).TrimEnd());
        foreach (string[] row in rows)
        {
            string line = Line(row, widths).TrimEnd();
            console.Out.WriteLine(row[4] switch
            {
                "success" => console.Paint(line, AnsiColor.Green),
                "fallback" or "firmware-reboot" or "unhealthy" => console.Paint(line, AnsiColor.Red),
                _ => line,
            });
        }
    }

    private static string[] Row(SwitchRecord r, TimeZoneInfo zone) =>
    [
        TimeZoneInfo.ConvertTime(r.RequestedAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        r.FromVersion,
        r.ToVersion ?? "?",
        JournalJson.ModeName(r.Mode),
        JournalJson.OutcomeName(r.Outcome),
        r.DowntimeSeconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "-",
    ];

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i])));
}
