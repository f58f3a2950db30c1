using Rekernel.Discovery;

namespace Rekernel.Cli.Rendering;

/// <summary>The text form of <c>rekernel list</c>: one entry per line, aligned columns.</summary>
public static class EntryTable
{
    public static void Write(CliConsole console, IReadOnlyList<BootEntry> entries, EntryMarks marks)
    {
        if (entries.Count == 0)
        {
            console.Out.WriteLine("No bootable kernels found.");
            return;
        }
        int versionWidth = Math.Max("VERSION".Length, entries.Max(e => (e.Version ?? "?").Length));
        int sourceWidth = "SOURCE".Length + 1;
        console.Out.WriteLine($"   {"VERSION".PadRight(versionWidth)}  {"SOURCE".PadRight(sourceWidth)} TITLE");
        foreach (BootEntry e in entries)
        {
            string mark = (marks.IsRunning(e) ? ">" : " ") + (marks.IsDefault(e) ? "*" : " ");
            string line = $"{mark} {(e.Version ?? "?").PadRight(versionWidth)}  {JsonOutput.SourceName(e.Source).PadRight(sourceWidth)} {e.Title}";
            console.Out.WriteLine(marks.IsDefault(e) ? console.Paint(line, AnsiColor.Bold) : line);
            console.Out.WriteLine($"      kernel  {e.Kernel}");
            foreach (string initrd in e.Initrds) console.Out.WriteLine($"      initrd  {initrd}");
            console.Out.WriteLine($"      cmdline {e.Cmdline ?? "(reuses the running command line)"}");
        }
        console.Out.WriteLine();
        console.Out.WriteLine("> running   * bootloader default");
    }
}
