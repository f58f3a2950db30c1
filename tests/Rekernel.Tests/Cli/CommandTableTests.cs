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

    [Fact]
    public void HelpNames_AreTheOnesSystemCommandLinesHelpOptionAnswersTo()
    {
        var help = new System.CommandLine.Help.HelpOption();
        Assert.Equal(CliApp.HelpNames.Order(StringComparer.Ordinal), help.Aliases.Append(help.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("status --check")]
    [InlineData("status --json --check")]
    [InlineData("status --version")]
    [InlineData("status --bogus")]
    [InlineData("list --root")]
    [InlineData("fleet")]
    [InlineData("fleet status --group")]
    [InlineData("history extra words")]
    [InlineData("upgrade --now --when 03:00")]
    public void CommandLineWithoutHelp_ParsesUnderAPlainRoot_AsUnderTheWholeTree(string commandLine)
    {
        using var sandbox = new SwitchSandbox();
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        string[] args = commandLine.Split(' ');
        System.CommandLine.ParseResult plain = CliApp.Tree(args, console, sandbox.Services).Parse(args);
        System.CommandLine.ParseResult whole = CliApp.Build(console, sandbox.Services).Parse(args);
        Assert.IsNotType<System.CommandLine.RootCommand>(plain.RootCommandResult.Command);
        Assert.Equal(whole.Errors.Select(e => e.Message), plain.Errors.Select(e => e.Message));
        Assert.Equal(whole.CommandResult.Command.Name, plain.CommandResult.Command.Name);
        Assert.Equal(whole.UnmatchedTokens, plain.UnmatchedTokens);
        Assert.Equal(whole.CommandResult.Children.Select(c => c.ToString()), plain.CommandResult.Children.Select(c => c.ToString()));
    }
}
