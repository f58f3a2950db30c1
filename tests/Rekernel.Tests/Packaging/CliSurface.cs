using System.CommandLine;
using System.Text.RegularExpressions;
using Rekernel.Cli;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;

namespace Rekernel.Tests.Packaging;

/// <summary>Every command of the real command tree and the option spellings a user types (--name and -x); hidden (test-only) options are not among them.</summary>
public static partial class CliSurface
{
    public static IReadOnlyList<(string Command, IReadOnlyList<string> Options)> Commands()
    {
        using var sandbox = new SwitchSandbox();
        RootCommand root = CliApp.Build(new CliConsole(TextWriter.Null, TextWriter.Null), sandbox.Services);
        return [.. root.Subcommands.Select(c => (c.Name, Spellings(c.Options)))];
    }

    /// <summary>The options of the root command itself (--help, --version).</summary>
    public static IReadOnlyList<string> RootOptions()
    {
        using var sandbox = new SwitchSandbox();
        RootCommand root = CliApp.Build(new CliConsole(TextWriter.Null, TextWriter.Null), sandbox.Services);
        return Spellings(root.Options);
    }

    private static IReadOnlyList<string> Spellings(IEnumerable<Option> options) =>
        [.. options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(a => a.StartsWith("--", StringComparison.Ordinal) || ShortOption().IsMatch(a)).Distinct()];

    /// <summary>Whether <paramref name="text"/> names <paramref name="option"/> as a whole word (--now is not in --no-panic-reboot).</summary>
    public static bool Names(string text, string option) =>
        Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])");

    [GeneratedRegex("^-[a-zA-Z]$")]
    private static partial Regex ShortOption();
}
