using System.CommandLine;
using Rekernel.Cli.Commands;
using Rekernel.Discovery;

namespace Rekernel.Cli;

/// <summary>Builds the command tree and runs one invocation; every failure becomes one line on stderr and an exit code.</summary>
public static class CliApp
{
    public static int Run(string[] args, CliConsole console)
    {
        CliServices services = CliServices.Live();
        return Run(args, console, services, SwitchServices.FromProcess(() => services.Kexec(new BootRoot("/"))));
    }

    public static int Run(string[] args, CliConsole console, CliServices services, SwitchServices switching)
    {
        ParseResult parsed = Build(console, services, switching).Parse(args);
        if (parsed.Errors.Count > 0) return UsageError(console, parsed);
        return parsed.Invoke(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>The whole command tree, without running anything (the man page and completion tests walk it).</summary>
    public static RootCommand Build(CliConsole console, CliServices services, SwitchServices switching) =>
        new("Move a running Linux machine onto a newly installed kernel with kexec.")
        {
            ListCommand.Create(console, services),
            StatusCommand.Create(console, services, switching),
            LoadCommand.Create(console, services, switching),
            UpgradeCommand.Create(console, services, switching),
            UnloadCommand.Create(console, services, switching),
            SwitchCommand.Create(console, switching),
            VerifyCommand.Create(console, switching),
            HistoryCommand.Create(console, switching),
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

    /// <summary>Runs a command body, turning the project's errors into one sentence and its exit code.</summary>
    public static int Guarded(CliConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (RekernelException ex)
        {
            console.Error.WriteLine($"rekernel: {ex.Message}");
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
