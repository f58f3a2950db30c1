using System.Collections.Immutable;
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
        ParseResult parsed = Tree(args, console, services).Parse(args);
        if (parsed.Errors.Count > 0) return UsageError(console, parsed);
        return parsed.Invoke(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>The whole command tree, without running anything (the man page and completion tests walk it).</summary>
    public static RootCommand Build(CliConsole console, MachineServices services)
    {
        RootCommand root = Root();
        foreach ((_, Func<CliConsole, MachineServices, Command> create) in Commands) root.Add(create(console, services));
        return root;
    }

    /// <summary>The commands under the root, by the name each gives itself (a test pins the two together).</summary>
    internal static readonly ImmutableArray<(string Name, Func<CliConsole, MachineServices, Command> Create)> Commands =
    [
        ("list", ListCommand.Create),
        ("status", StatusCommand.Create),
        ("load", LoadCommand.Create),
        ("upgrade", UpgradeCommand.Create),
        ("unload", UnloadCommand.Create),
        ("switch", SwitchCommand.Create),
        ("verify", VerifyCommand.Create),
        ("history", HistoryCommand.Create),
        ("agent", AgentCommand.Create),
        ("fleet", FleetCommand.Create),
    ];

    private static RootCommand Root() => new("Move a running Linux machine onto a newly installed kernel with kexec.");

    /// <summary>The names RootCommand's help option answers to (a test pins them to System.CommandLine's own).</summary>
    internal static readonly ImmutableArray<string> HelpNames = ["--help", "-h", "/h", "-?", "/?"];

    // A command line that starts with a command's name parses the same under a root holding only that command (what
    // follows a command is matched against its own options), so the other nine are not built: that was 6 % of
    // status --check (2.44 -> 2.30 ms of CPU, perf stat, 8 interleaved rounds of 40). When it asks for no help, the
    // root is a plain command, without RootCommand's help and version options (--version belongs to the root alone):
    // their constructors read System.CommandLine's resources through reflection, 0.2-0.25 ms of status --check's
    // 2.45 ms (perf stat -r 300, a NativeAOT program that only builds a RootCommand against one that does not).
    // Anything else (no command, --help, a typo to suggest a name for) gets the whole tree.
    internal static Command Tree(string[] args, CliConsole console, MachineServices services)
    {
        if (args.Length == 0 || Commands.FirstOrDefault(c => c.Name == args[0]).Create is not { } create) return Build(console, services);
        Command root = args.Any(HelpNames.Contains) ? Root() : new Command("rekernel");
        root.Add(create(console, services));
        return root;
    }

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
