using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Discovery;
using Rekernel.Planning;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel unload</c>: drop the staged kernel, so a later reboot goes through firmware as usual.</summary>
public static class UnloadCommand
{
    public static Command Create(CliConsole console, CliServices services, SwitchServices switching)
    {
        Option<string> root = CommonOptions.Root();
        Option<bool> json = CommonOptions.Json();
        Option<bool> quiet = CommonOptions.Quiet();
        var command = new Command("unload", "Unload the kernel staged with 'rekernel load'.") { root, json, quiet };
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            CliConsole output = parsed.GetValue(quiet) ? console.Quiet() : parsed.GetValue(json) ? console.WithoutProgress() : console;
            BootRoot bootRoot = CommonOptions.BootRootFrom(parsed.GetValue(root)!);
            using IDisposable held = switching.Lock("rekernel unload", output);
            bool? wasStaged = new Stager(services.Kexec(bootRoot)).Unload();
            switching.Journal().ClearStaged();
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
