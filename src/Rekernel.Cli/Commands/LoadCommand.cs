using System.CommandLine;
using Rekernel.Cli.Rendering;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel load</c>: stage a kernel (the bootloader default unless told otherwise) without jumping into it.</summary>
public static class LoadCommand
{
    public static Command Create(CliConsole console, CliServices services, SwitchServices switching)
    {
        var stageOptions = new StageOptions();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be staged, and stage nothing." };
        Option<bool> json = CommonOptions.Json();
        Option<bool> quiet = CommonOptions.Quiet();
        var command = new Command("load", "Stage a kernel in memory with kexec, ready for 'rekernel switch'.") { dryRun, json, quiet };
        stageOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            CliConsole output = parsed.GetValue(quiet) ? console.Quiet() : parsed.GetValue(json) ? console.WithoutProgress() : console;
            return CliApp.Guarded(output, () =>
            {
                StageRequest stage = stageOptions.Plan(parsed, output, services);
                bool dry = parsed.GetValue(dryRun);
                using IDisposable? held = dry ? null : switching.Lock("rekernel load", output);
                IReadOnlyList<string> warnings = StageOptions.Stage(stage, output, services, switching, dry);
                if (parsed.GetValue(json)) PlanRenderer.WriteJson(console, stage.Plan, !dry, warnings);
                else if (dry) PlanRenderer.WriteDryRun(output, stage.Plan);
                else PlanRenderer.WriteStaged(output, stage.Plan);
                return (int)ExitCode.Success;
            });
        });
        return command;
    }
}
