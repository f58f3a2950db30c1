using Rekernel.Cli;

namespace Rekernel.Tests.Cli;

/// <summary>CliApp parses a command line that starts with a command's name under a root holding only that command.</summary>
public sealed class CommandTableTests
{
    [Fact]
    public void EachCommand_IsLookedUpByTheNameItGivesItself()
    {
        using var sandbox = new SwitchSandbox();
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        Assert.Equal(["list", "status", "load", "upgrade", "unload", "switch", "verify", "history", "agent", "fleet"], CliApp.Commands.Select(c => c.Name));
        foreach ((string name, var create) in CliApp.Commands) Assert.Equal(name, create(console, sandbox.Services).Name);
        Assert.Equal(CliApp.Commands.Select(c => c.Name), CliApp.Build(console, sandbox.Services).Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void StatusHelp_IsTheSameWhetherTheOtherCommandsAreBuiltOrNot()
    {
        using var sandbox = new SwitchSandbox();
        var viaTable = new StringWriter();
        CliApp.Run(["status", "--help"], new CliConsole(viaTable, TextWriter.Null), sandbox.Services);
        var viaTree = new StringWriter();
        CliApp.Build(new CliConsole(viaTree, TextWriter.Null), sandbox.Services).Parse(["status", "--help"]).Invoke(new System.CommandLine.InvocationConfiguration { Output = viaTree });
        Assert.Contains("status [options]", viaTable.ToString());
        Assert.Equal(viaTree.ToString(), viaTable.ToString());
    }
}
