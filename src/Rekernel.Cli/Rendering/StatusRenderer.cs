using Rekernel.Discovery;
using Rekernel.Journal;
using Rekernel.Operations;
using Rekernel.Planning;

namespace Rekernel.Cli.Rendering;

/// <summary>The text and JSON forms of <c>rekernel status</c>.</summary>
public static class StatusRenderer
{
    public static void WriteText(CliConsole console, StatusReport r)
    {
        TextWriter o = console.Out;
        o.WriteLine($"Running kernel:      {r.Running ?? "unknown (give --running VERSION with --root)"}");
        o.WriteLine($"Bootloader:          {JsonOutput.BootloaderName(r.Inventory.Bootloader)}");
        o.WriteLine($"Bootloader default:  {Describe(r.Inventory.Default)}");
        if (r.Inventory.Grub?.NextEntry is { } next) o.WriteLine($"GRUB next boot only: {next} (one-shot next_entry)");
        o.WriteLine($"Newest installed:    {Describe(r.Inventory.Newest)}");
        o.WriteLine($"Upgrade target:      {Describe(r.Target)}");
        o.WriteLine($"Switch pending:      {(r.SwitchPending ? console.Paint("yes", AnsiColor.Yellow) + " (rekernel upgrade switches to it)" : "no")}");
        o.WriteLine($"Kernel staged:       {DescribeStaged(r)}");
        if (r.Staged is { } staged)
        {
            o.WriteLine($"Staged command line: {staged.Cmdline}");
            if (staged.Loader is { } loader) o.WriteLine($"Staged through:      {loader}: {staged.LoaderReason}");
        }
        o.WriteLine($"Return path:         {ReturnRouteRenderer.Text(r.ReturnRoute)}");
        o.WriteLine($"Watchdog:            {WatchdogRenderer.Text(r.Watchdog)}");
        o.WriteLine("Readiness:");
        foreach (ReadinessCheck c in r.Checks)
        {
            string mark = c.Ok ? console.Paint("ok  ", AnsiColor.Green) : console.Paint("FAIL", AnsiColor.Red);
            o.WriteLine($"  {mark}  {c.Name,-20} {FlagAdvice.Sentence(c.Detail)}");
        }
    }

    public static void WriteJson(CliConsole console, StatusReport r) =>
        JsonOutput.Write(console.Out, w =>
        {
            var marks = new EntryMarks(r.Inventory.Default, r.Running);
            w.WriteStartObject();
            w.WriteString("running", r.Running);
            w.WriteString("bootloader", JsonOutput.BootloaderName(r.Inventory.Bootloader));
            w.WritePropertyName("default");
            JsonOutput.WriteEntry(w, r.Inventory.Default, marks);
            if (r.Inventory.Grub?.NextEntry is { } next) w.WriteString("grubNextEntry", next);
            w.WritePropertyName("newest");
            JsonOutput.WriteEntry(w, r.Inventory.Newest, marks);
            w.WritePropertyName("target");
            JsonOutput.WriteEntry(w, r.Target, marks);
            w.WriteBoolean("switchPending", r.SwitchPending);
            if (r.KexecLoaded is { } loaded) w.WriteBoolean("kexecLoaded", loaded);
            else w.WriteNull("kexecLoaded");
            w.WritePropertyName("staged");
            WriteStaged(w, r.Staged);
            ReturnRouteRenderer.WriteJson(w, r.ReturnRoute);
            WatchdogRenderer.WriteJson(w, r.Watchdog);
            w.WriteStartArray("checks");
            foreach (ReadinessCheck c in r.Checks)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteBoolean("ok", c.Ok);
                w.WriteString("detail", FlagAdvice.Sentence(c.Detail));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteStaged(System.Text.Json.Utf8JsonWriter w, StagedKernel? staged)
    {
        if (staged is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("version", staged.Version);
        w.WriteString("kernel", staged.KernelPath);
        JsonOutput.WriteStrings(w, "initrds", staged.Initrds);
        w.WriteString("cmdline", staged.Cmdline);
        w.WriteString("stagedAt", staged.StagedAt);
        w.WriteString("loader", staged.Loader);
        w.WriteString("loaderReason", staged.LoaderReason);
        w.WriteEndObject();
    }

    private static string DescribeStaged(StatusReport r) => (r.KexecLoaded, r.Staged) switch
    {
        (true, { } s) => $"yes, {s.Version} ({s.KernelPath}, staged {s.StagedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC); `rekernel switch` jumps into it",
        (true, null) => "yes, but not by `rekernel load` in this boot, so its version is unknown; `rekernel switch` jumps into it",
        (false, _) => "no",
        _ => "unknown",
    };

    private static string Describe(BootEntry? entry) =>
        entry is null ? "none" : $"{entry.Version ?? "?"}  ({entry.Title}; {entry.Kernel})";
}
