using System.CommandLine;
using Rekernel.Cli.Rendering;
using Rekernel.Operations;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel load</c>: stage a kernel (the bootloader default unless told otherwise) without jumping into it.</summary>
public static class LoadCommand
{
    public static Command Create(CliConsole console, MachineServices services)
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
                var request = new LoadRequest(stageOptions.Request(parsed), parsed.GetValue(dryRun));
                LoadResult result = new Load(services, ConsoleEvents.For(output)).Run(request);
                if (parsed.GetValue(json)) PlanRenderer.WriteJson(console, result.Plan, result.DidStage, result.Warnings);
                else if (result.DidStage) PlanRenderer.WriteStaged(output, result.Plan.Load);
                else PlanRenderer.WriteDryRun(output, result.Plan);
                return (int)ExitCode.Success;
            });
        });
        return command;
    }
}
