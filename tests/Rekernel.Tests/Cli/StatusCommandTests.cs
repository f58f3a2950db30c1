using System.Text.Json;

namespace Rekernel.Tests.Cli;

public sealed class StatusCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => ReadOnlyCli.Run(args);

    private static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, name);

    [Fact]
    public void Debian12_Running47_StatusJson_HasTheDocumentedSchema_AndAPendingSwitchTo53()
    {
        (int code, string output, _) = Run("status", "--json", "--root", Fixture("debian12"), "--running", "6.1.0-47-amd64");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement r = doc.RootElement;
        Assert.Equal("6.1.0-47-amd64", r.GetProperty("running").GetString());
        Assert.Equal("6.1.0-53-amd64", r.GetProperty("default").GetProperty("version").GetString());
        Assert.Equal("6.1.0-53-amd64", r.GetProperty("newest").GetProperty("version").GetString());
        Assert.Equal("6.1.0-53-amd64", r.GetProperty("target").GetProperty("version").GetString());
        Assert.True(r.GetProperty("switchPending").GetBoolean());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("kexecLoaded").ValueKind);
        string[] checks = [.. r.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
        Assert.Equal(["kexec-support", "kexec-load-disabled", "lockdown", "secure-boot", "tpm2-unlock", "root"], checks);
        Assert.All(r.GetProperty("checks").EnumerateArray(), c =>
        {
            Assert.True(c.TryGetProperty("ok", out _));
            Assert.True(c.TryGetProperty("detail", out _));
        });
    }

    [Fact]
    public void Centos7_Check_ExitsOneWhileTheSavedDefaultIsNotRunning_AndZeroOnceItIs()
    {
        Assert.Equal((int)ExitCode.SwitchPending, Run("status", "--check", "--root", Fixture("centos7"), "--running", "3.10.0-1160.el7.x86_64").Code);
        (int code, string output, _) = Run("status", "--check", "--root", Fixture("centos7"), "--running", "3.10.0-514.6.1.el7.x86_64");
        Assert.Equal(0, code);
        Assert.Equal("", output);
    }

    [Fact]
    public void Centos7_Latest_TargetsTheNewestInsteadOfTheSavedDefault()
    {
        (_, string output, _) = Run("status", "--latest", "--root", Fixture("centos7"), "--running", "3.10.0-514.6.1.el7.x86_64");
        Assert.Contains("Upgrade target:      3.10.0-1160.el7.x86_64", output);
        Assert.Contains("Switch pending:      yes", output);
    }

    [Fact]
    public void ArchGrub_GrubMkconfigMenuOfVmlinuzLinuxLts_RunningItsRelease_NoSwitchPending()
    {
        (int code, _, _) = Run("status", "--check", "--root", Fixture("arch-grub"), "--running", "6.1.71-1-lts");
        Assert.Equal(0, code);
    }
}
