using System.CommandLine;
using Rekernel.Cli.Commands;

namespace Rekernel.Cli;

/// <summary>Builds the command tree and runs one invocation; every failure becomes one line on stderr and an exit code.</summary>
public static class CliApp
{
    public static int Run(string[] args, CliConsole console)
    {
        // The real IKexecSystem comes from the kexec branch; the lead wires it here (see SwitchServices).
        SwitchServices switching = SwitchServices.FromProcess(() => throw new RekernelException(ExitCode.Internal, "the kexec system calls are not wired into this build."));
        var root = new RootCommand("Move a running Linux machine onto a newly installed kernel with kexec.")
        {
            ListCommand.Create(console),
            StatusCommand.Create(console),
            SwitchCommand.Create(console, switching),
            VerifyCommand.Create(console, switching),
            HistoryCommand.Create(console, switching),
        };
        ParseResult parsed = root.Parse(args);
        return parsed.Invoke(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        });
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
