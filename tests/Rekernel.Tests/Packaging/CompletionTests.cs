using System.Text.RegularExpressions;

namespace Rekernel.Tests.Packaging;

/// <summary>The bash and zsh completions list every command and option of the CLI.</summary>
public sealed class CompletionTests
{
    private static string Read(string name) => File.ReadAllText(Path.Combine(TestPaths.Repo, "packaging", "completions", name));

    [Fact]
    public void Bash_EveryCommandLine_ListsAllItsOptions()
    {
        string script = Read("rekernel.bash");
        string commands = Regex.Match(script, "local commands=\"([^\"]*)\"").Groups[1].Value;
        var missing = new List<string>();
        foreach ((string command, IReadOnlyList<string> options) in CliSurface.Commands())
        {
            if (!CliSurface.Names(commands, command)) missing.Add(command);
            string opts = Regex.Match(script, $@"\n\s*{command}\) opts=""([^""]*)""").Groups[1].Value;
            missing.AddRange(options.Where(o => !CliSurface.Names(opts, o)).Select(o => $"{command} {o}"));
        }
        string root = Regex.Match(script, @"\n\s*""""\) opts=""([^""]*)""").Groups[1].Value;
        missing.AddRange(CliSurface.RootOptions().Where(o => o != "-h" && !CliSurface.Names(root, o)));
        Assert.True(missing.Count == 0, "missing from rekernel.bash: " + string.Join(", ", missing));
    }

    [Fact]
    public void Bash_ScriptParses()
    {
        (int exit, _, string err) = Shell.Run("bash", "-n", Path.Combine(TestPaths.Repo, "packaging", "completions", "rekernel.bash"));
        Assert.True(exit == 0, err);
    }

    [Fact]
    public void Bash_CompletesCommandsAndUpgradeOptions()
    {
        string script = Path.Combine(TestPaths.Repo, "packaging", "completions", "rekernel.bash");
        (int exit, string output, string err) = Shell.Run("bash", "-c", """
            source "$0"
            COMP_WORDS=(rekernel up); COMP_CWORD=1; _rekernel; echo "${COMPREPLY[*]}"
            COMP_WORDS=(rekernel upgrade --in); COMP_CWORD=2; _rekernel; echo "${COMPREPLY[*]}"
            """, script);
        Assert.True(exit == 0, err);
        Assert.Equal("upgrade\n--in-window\n", output);
    }

    [Fact]
    public void Zsh_ScriptParses()
    {
        (int exit, _, string err) = Shell.Run("zsh", "-n", Path.Combine(TestPaths.Repo, "packaging", "completions", "_rekernel"));
        Assert.True(exit == 0, err);
    }

    [Fact]
    public void Zsh_EveryCommand_ListsAllItsOptions()
    {
        string script = Read("_rekernel");
        string Array(string name) => Regex.Match(script, $@"\n\s*{name}=\((.*?)\n\s*\)", RegexOptions.Singleline).Groups[1].Value;
        string common = Array("common");
        string staging = Array("staging");
        string commands = Array("commands");
        var missing = new List<string>();
        foreach ((string command, IReadOnlyList<string> options) in CliSurface.Commands())
        {
            if (!commands.Contains($"'{command}:", StringComparison.Ordinal)) missing.Add(command);
            string block = Regex.Match(script, $@"\n\s*\({command}\)(.*?);;", RegexOptions.Singleline).Groups[1].Value;
            if (block.Contains("$common", StringComparison.Ordinal)) block += common;
            if (block.Contains("$staging", StringComparison.Ordinal)) block += staging;
            missing.AddRange(options.Where(o => !CliSurface.Names(block, o)).Select(o => $"{command} {o}"));
        }
        Assert.True(missing.Count == 0, "missing from _rekernel: " + string.Join(", ", missing));
    }
}
