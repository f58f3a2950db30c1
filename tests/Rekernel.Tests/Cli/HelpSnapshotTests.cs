using System.Text;
using Rekernel.Cli;
using Rekernel.Tests.Fakes;

namespace Rekernel.Tests.Cli;

/// <summary>
/// The --help text of every command, compared with a committed snapshot so that any change to the command-line
/// interface shows up as a diff. Run with REKERNEL_UPDATE_SNAPSHOTS=1 to rewrite the snapshot.
/// </summary>
public sealed class HelpSnapshotTests
{
    private static readonly string[] Commands = ["", "list", "status", "load", "unload", "switch", "upgrade", "verify", "history", "agent", "fleet", "fleet status", "fleet init", "fleet halt", "fleet resume", "fleet unlock", "fleet forget", "fleet simulate"];

    private static string SnapshotPath => Path.Combine(TestPaths.Repo, "tests", "Rekernel.Tests", "Cli", "help.snapshot.txt");

    [Fact]
    public void HelpOfEveryCommand_MatchesTheSnapshot()
    {
        var all = new StringBuilder();
        foreach (string command in Commands)
        {
            all.AppendLine(command.Length == 0 ? "===== rekernel --help" : $"===== rekernel {command} --help");
            all.Append(Help(command));
        }
        string actual = all.ToString();
        if (Environment.GetEnvironmentVariable("REKERNEL_UPDATE_SNAPSHOTS") == "1") File.WriteAllText(SnapshotPath, actual);
        Assert.Equal(File.ReadAllText(SnapshotPath), actual);
    }

    [Fact]
    public void UnknownOption_IsAUsageError()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var sandbox = new SwitchSandbox();
        int code = CliApp.Run(["list", "--no-such-option"], new CliConsole(output, error), sandbox.Services);
        Assert.Equal((int)ExitCode.Usage, code);
        Assert.StartsWith("rekernel: Unrecognized command or argument '--no-such-option'", error.ToString());
        Assert.Contains("rekernel list --help", error.ToString());
    }

    private static string Help(string command)
    {
        var output = new StringWriter();
        using var sandbox = new SwitchSandbox();
        string[] args = command.Length == 0 ? ["--help"] : [.. command.Split(' '), "--help"];
        CliApp.Run(args, new CliConsole(output, new StringWriter()), sandbox.Services);
        // The root command is named after the executable: the test host here, rekernel when installed.
        string executable = Path.GetFileNameWithoutExtension(Environment.GetCommandLineArgs()[0]);
        return output.ToString().Replace($"  {executable} ", "  rekernel ");
    }
}
