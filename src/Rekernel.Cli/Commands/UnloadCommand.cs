using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel unload</c>: drop the staged kernel, so a later reboot goes through firmware as usual.</summary>
public static class UnloadCommand
{
    public static Command Create(CliConsole console, MachineServices services)
    {
        Option<bool> json = CommonOptions.Json();
        Option<bool> quiet = CommonOptions.Quiet();
        var command = new Command("unload", "Unload the kernel staged with 'rekernel load'.") { json, quiet };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            CliConsole output = parsed.GetValue(quiet) ? console.Quiet() : parsed.GetValue(json) ? console.WithoutProgress() : console;
            bool? wasStaged = new Unload(services, ConsoleEvents.For(output)).Run();
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(console.Out, w =>
                {
                    w.WriteStartObject();
                    if (wasStaged is { } s) w.WriteBoolean("wasStaged", s);
                    else w.WriteNull("wasStaged");
                    w.WriteEndObject();
                });
            }
            else
            {
                output.Out.WriteLine(wasStaged switch
                {
                    true => "Unloaded the staged kernel.",
                    false => "Nothing was staged.",
                    null => "Unloaded (whether a kernel was staged could not be read).",
                });
            }
            return (int)ExitCode.Success;
        }));
        return command;
    }
}
