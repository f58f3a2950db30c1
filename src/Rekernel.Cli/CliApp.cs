using System.CommandLine;
using Rekernel.Cli.Commands;
using Rekernel.Operations;

namespace Rekernel.Cli;

/// <summary>Builds the command tree and runs one invocation; every failure becomes one line on stderr and an exit code.</summary>
public static class CliApp
{
    public static int Run(string[] args, CliConsole console) => Run(args, console, MachineServices.Live());

    public static int Run(string[] args, CliConsole console, MachineServices services)
    {
        ParseResult parsed = Build(console, services).Parse(args);
        if (parsed.Errors.Count > 0) return UsageError(console, parsed);
        return parsed.Invoke(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>The whole command tree, without running anything (the man page and completion tests walk it).</summary>
    public static RootCommand Build(CliConsole console, MachineServices services) =>
        new("Move a running Linux machine onto a newly installed kernel with kexec.")
        {
            ListCommand.Create(console, services),
            StatusCommand.Create(console, services),
            LoadCommand.Create(console, services),
            UpgradeCommand.Create(console, services),
            UnloadCommand.Create(console, services),
            SwitchCommand.Create(console, services),
            VerifyCommand.Create(console, services),
            HistoryCommand.Create(console, services),
            AgentCommand.Create(console, services),
            FleetCommand.Create(console, services),
        };

    /// <summary>A bad command line: each problem on one line, where to find help, and the documented usage exit code.</summary>
    private static int UsageError(CliConsole console, ParseResult parsed)
    {
        string command = string.Join(' ', parsed.CommandResult.Command.Name == parsed.RootCommandResult.Command.Name
            ? ["rekernel"] : new[] { "rekernel", parsed.CommandResult.Command.Name });
        foreach (var error in parsed.Errors)
            console.Error.WriteLine($"rekernel: {error.Message.TrimEnd('.')}; see `{command} --help`.");
        return (int)ExitCode.Usage;
    }

    /// <summary>Runs a command body, turning the project's errors into one sentence (remedies worded with flags) and its exit code.</summary>
    public static int Guarded(CliConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RekernelException ex)
        {
            console.Error.WriteLine($"rekernel: {FlagAdvice.Sentence(ex.Finding)}");
            return (int)ex.ExitCode;
        }
        catch (UnauthorizedAccessException ex)
        {
            console.Error.WriteLine($"rekernel: permission denied ({ex.Message}); run as root.");
            return (int)ExitCode.Refused;
        }
        catch (Exception ex)
        {
            console.Error.WriteLine($"rekernel: internal error: {ex.GetType().Name}: {ex.Message} (this is a bug; please report it).");
            return (int)ExitCode.Internal;
        }
    }
}
