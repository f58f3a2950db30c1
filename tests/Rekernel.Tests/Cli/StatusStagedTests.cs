using System.Text.Json;
using Rekernel.Cli;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Cli;

/// <summary>What <c>rekernel status</c> says about a loaded kernel: the one <c>rekernel load</c> staged, or an unknown one.</summary>
public sealed class StatusStagedTests
{
    private const string ThisBoot = "22222222-bbbb-4bbb-8bbb-222222222222";

    private static (int Code, string Out) Status(SwitchSandbox sandbox, bool loaded, params string[] args)
    {
        using TempBootTree tree = DebianTree.Create();
        sandbox.RunningDebian().Boot("6.1.0-47-amd64", ThisBoot, uptimeSeconds: 60);
        sandbox.KexecLoaded(loaded);
        var output = new StringWriter();
        int code = CliApp.Run(["status", "--root", tree.HostPath, "--running", "6.1.0-47-amd64", .. args],
            new CliConsole(output, new StringWriter()), sandbox.Services);
        return (code, output.ToString());
    }

    [Fact]
    public void KernelStagedByLoadInThisBoot_StatusNamesItsVersionAndCommandLine()
    {
        using var sandbox = new SwitchSandbox();
        sandbox.Stage(bootId: ThisBoot);
        (int code, string output) = Status(sandbox, loaded: true);
        Assert.Equal(0, code);
        Assert.Contains($"Kernel staged:       yes, {SwitchSandbox.NewKernel} (/boot/vmlinuz-{SwitchSandbox.NewKernel}, staged 2025-06-01 10:00:00 UTC)", output);
        Assert.Contains("Staged command line: root=/dev/vda ro console=ttyS0", output);
    }

    [Fact]
    public void KernelStagedByLoadInThisBoot_StatusJsonHasTheStagedObject()
    {
        using var sandbox = new SwitchSandbox();
        sandbox.Stage(bootId: ThisBoot);
        (_, string output) = Status(sandbox, loaded: true, "--json");
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement staged = doc.RootElement.GetProperty("staged");
        Assert.True(doc.RootElement.GetProperty("kexecLoaded").GetBoolean());
        Assert.Equal(SwitchSandbox.NewKernel, staged.GetProperty("version").GetString());
        Assert.Equal(SwitchSandbox.KexecCmdline, staged.GetProperty("cmdline").GetString());
        Assert.Equal([$"/boot/initrd.img-{SwitchSandbox.NewKernel}"], staged.GetProperty("initrds").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void KernelLoadedByKexecToolsAfterAnEarlierBootsRecord_StatusSaysItsVersionIsUnknown()
    {
        using var sandbox = new SwitchSandbox();
        sandbox.Stage(bootId: "33333333-cccc-4ccc-8ccc-333333333333");
        (_, string output) = Status(sandbox, loaded: true);
        Assert.Contains("Kernel staged:       yes, but not by `rekernel load` in this boot, so its version is unknown", output);
        Assert.DoesNotContain("Staged command line", output);
    }

    [Fact]
    public void NothingLoaded_AStaleRecordIsNotShown()
    {
        using var sandbox = new SwitchSandbox();
        sandbox.Stage(bootId: ThisBoot);
        (_, string output) = Status(sandbox, loaded: false, "--json");
        using JsonDocument doc = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("staged").ValueKind);
        Assert.False(doc.RootElement.GetProperty("kexecLoaded").GetBoolean());
    }
}
