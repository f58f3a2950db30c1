using System.CommandLine;
using Rekernel.Cli;
using Rekernel.Tests.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.Packaging;

/// <summary>The units in packaging/systemd are valid for systemd and run command lines the CLI accepts.</summary>
public sealed class SystemdUnitTests
{
    private static readonly string Units = Path.Combine(TestPaths.Repo, "packaging", "systemd");
    private static readonly string[] Names = ["rekernel-verify.service", "rekernel-upgrade.service", "rekernel-upgrade.timer"];

    [Fact]
    public void Units_PassSystemdAnalyzeVerify()
    {
        // A root holding the host's systemd units (for the targets ours name), ours, and an executable /usr/bin/rekernel.
        using var root = new ScratchDirectory();
        string unitDir = root.File("usr/lib/systemd/system");
        Directory.CreateDirectory(unitDir);
        foreach (string unit in Directory.GetFiles("/usr/lib/systemd/system", "*.target")) File.Copy(unit, Path.Combine(unitDir, Path.GetFileName(unit)));
        foreach (string name in Names) File.Copy(Path.Combine(Units, name), Path.Combine(unitDir, name), overwrite: true);
        string binary = root.Write("usr/bin/rekernel", "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        (int exit, string output, string errors) = Shell.Run("systemd-analyze",
            ["verify", "--man=no", $"--root={root.Path}", .. Names.Select(n => "/usr/lib/systemd/system/" + n)]);
        Assert.True(exit == 0 && errors.Length == 0, output + errors);
    }

    [Theory]
    [InlineData("rekernel-verify.service")]
    [InlineData("rekernel-upgrade.service")]
    public void ExecStart_IsACommandLineTheCliAccepts(string unit)
    {
        string exec = File.ReadAllLines(Path.Combine(Units, unit)).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        string[] words = exec["ExecStart=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/usr/bin/rekernel", words[0]);
        using var sandbox = new SwitchSandbox();
        RootCommand cli = CliApp.Build(new CliConsole(TextWriter.Null, TextWriter.Null), sandbox.Services);
        ParseResult parsed = cli.Parse(words[1..]);
        Assert.Empty(parsed.Errors);
    }

    [Fact]
    public void VerifyService_TakesPartInSystemdsBootAssessment_AndNothingToVerifyIsFine()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Units, "rekernel-verify.service"));
        // boot-complete.target requires it and waits for it: a failed verify keeps systemd-bless-boot from marking the entry good.
        Assert.Contains("Before=boot-complete.target", lines);
        Assert.Contains("RequiredBy=boot-complete.target", lines);
        Assert.Contains("WantedBy=multi-user.target", lines);
        Assert.Contains("SuccessExitStatus=11", lines);
        Assert.Equal(11, (int)ExitCode.NothingToVerify);
    }

    [Fact]
    public void UpgradeService_ConfirmsWithoutATerminal_AndHonoursTheMaintenanceWindow()
    {
        string exec = File.ReadAllLines(Path.Combine(Units, "rekernel-upgrade.service")).Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        Assert.Contains(" upgrade ", exec);
        Assert.Contains(" --yes", exec);
        Assert.Contains(" --in-window", exec);
    }
}
