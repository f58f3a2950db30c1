using System.Text.RegularExpressions;
using Rekernel.Config;

namespace Rekernel.Tests.Packaging;

/// <summary>man/rekernel.8 is the one source of the manual; these keep it from drifting away from the binary.</summary>
public sealed class ManPageTests
{
    /// <summary>The roff source with its escapes undone, so that "\-\-root" reads "--root".</summary>
    private static readonly string Page = Regex.Replace(
        File.ReadAllText(Path.Combine(TestPaths.Repo, "man", "rekernel.8")).Replace("\\-", "-", StringComparison.Ordinal),
        @"\\f[BIRP]", "");

    /// <summary>From a <c>.SH</c>/<c>.SS</c> heading to the next heading.</summary>
    private static string Section(string heading)
    {
        int start = Page.IndexOf($"\n{heading}", StringComparison.Ordinal);
        Assert.True(start >= 0, $"the man page has no section {heading}");
        Match next = Regex.Match(Page[(start + 1)..], @"\n\.S[HS] ");
        return next.Success ? Page.Substring(start, next.Index + 1) : Page[start..];
    }

    [Fact]
    public void EveryCommand_HasItsOwnSection_NamingEachOfItsOptions()
    {
        string staging = Section(".SH STAGING OPTIONS");
        string common = Section(".SH COMMON OPTIONS");
        var missing = new List<string>();
        foreach ((string command, IReadOnlyList<string> options) in CliSurface.Commands())
        {
            string section = Section($".SS \"rekernel {command}");
            foreach (string option in options)
            {
                bool found = CliSurface.Names(section, option)
                    || (section.Contains("STAGING OPTIONS", StringComparison.Ordinal) && CliSurface.Names(staging, option))
                    || (option is "--help" or "-h" && CliSurface.Names(common, option));
                if (!found) missing.Add($"{command} {option}");
            }
        }
        Assert.True(missing.Count == 0, "missing from man/rekernel.8: " + string.Join(", ", missing));
    }

    [Fact]
    public void RootOptions_AreInCommonOptions()
    {
        string common = Section(".SH COMMON OPTIONS");
        Assert.All(CliSurface.RootOptions(), o => Assert.True(CliSurface.Names(common, o), o));
    }

    [Fact]
    public void EveryExitCode_IsDocumented()
    {
        string exitStatus = Section(".SH EXIT STATUS");
        Assert.All(Enum.GetValues<ExitCode>(), code => Assert.Contains($"\n.B {(int)code}\n", exitStatus));
    }

    [Fact]
    public void EveryConfigKey_IsDocumented()
    {
        string configuration = Section(".SH CONFIGURATION");
        Assert.All(ConfigFile.Keys, key => Assert.Matches($@"\n\.B[IR]? {key} ", configuration));
    }

    [Theory]
    [InlineData("/etc/rekernel.conf")]
    [InlineData("/var/lib/rekernel/journal.json")]
    [InlineData("/var/lib/rekernel/staged.json")]
    [InlineData("/run/rekernel/lock")]
    [InlineData("rekernel-upgrade.timer")]
    public void Files_AreListed(string file) => Assert.Contains(file, Section(".SH FILES"));

    [Theory]
    [InlineData(RekernelConfig.PathVariable)]
    [InlineData("REKERNEL_STATE_DIR")]
    [InlineData("REKERNEL_RUN_DIR")]
    [InlineData("NO_COLOR")]
    public void EnvironmentVariables_AreListed(string variable) => Assert.Contains(variable, Section(".SH ENVIRONMENT"));

    [Fact]
    public void ManPage_FormatsWithoutWarnings()
    {
        (int exit, string output, string errors) = Shell.Run("sh", "-c", "MANWIDTH=100 LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z \"$0\"", Path.Combine(TestPaths.Repo, "man", "rekernel.8"));
        Assert.True(exit == 0 && errors.Length == 0, output + errors);
    }
}
