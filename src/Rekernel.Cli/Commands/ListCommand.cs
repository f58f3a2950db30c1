using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Discovery;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel list</c>: every bootable entry, newest first, marking the default and the running kernel.</summary>
public static class ListCommand
{
    public static Command Create(CliConsole console, MachineServices services)
    {
        Option<string> root = CommonOptions.Root();
        Option<bool> json = CommonOptions.Json();
        Option<string?> running = CommonOptions.Running();
        var command = new Command("list", "List every bootable kernel, newest first, marking the bootloader default (*) and the running kernel (>).")
        {
            root, json, running,
        };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            BootInventory inventory = services.Discover(CommonOptions.BootRootFrom(parsed.GetValue(root)!));
            var marks = new EntryMarks(inventory.Default, services.Machine(parsed.GetValue(running)).Release);
            WarningsWriter.Write(console, inventory.Diagnostics);
            if (parsed.GetValue(json)) WriteJson(console, inventory, marks);
            else EntryTable.Write(console, inventory.Entries, marks);
            return (int)ExitCode.Success;
        }));
        return command;
    }

    private static void WriteJson(CliConsole console, BootInventory inventory, EntryMarks marks) =>
        JsonOutput.Write(console.Out, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("entries");
            foreach (BootEntry entry in inventory.Entries) JsonOutput.WriteEntry(w, entry, marks);
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
