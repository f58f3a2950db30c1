using System.CommandLine;

namespace Rekernel.Cli.Commands;

/// <summary><c>rekernel status</c>: running kernel, bootloader default, target, staged state and readiness.</summary>
public static class StatusCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("status", "Show the running kernel, the bootloader default, what an upgrade would do, and whether this machine is ready for kexec.");
        command.SetAction(_ => CliApp.Guarded(console, () => throw new RekernelException(ExitCode.Internal, "status is not implemented yet.")));
        return command;
    }
}
