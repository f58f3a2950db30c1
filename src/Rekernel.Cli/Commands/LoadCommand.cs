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
        var command = new Command("load", "Stage a kernel in memory with kexec, ready for 'rekernel switch'.") { dryRun, json };
        stageOptions.AddTo(command);
        command.SetAction(parsed => CliApp.Guarded(console, () =>
        {
            StageRequest stage = stageOptions.Plan(parsed, console, services);
            bool dry = parsed.GetValue(dryRun);
            using IDisposable? held = dry ? null : switching.Lock("rekernel load");
            IReadOnlyList<string> warnings = StageOptions.Stage(stage, console, services, switching, dry);
            if (parsed.GetValue(json)) PlanRenderer.WriteJson(console, stage.Plan, !dry, warnings);
            else if (dry) PlanRenderer.WriteDryRun(console, stage.Plan);
            else PlanRenderer.WriteStaged(console, stage.Plan);
            return (int)ExitCode.Success;
        }));
        return command;
    }
}
