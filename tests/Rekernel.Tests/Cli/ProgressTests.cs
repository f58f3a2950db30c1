using Rekernel.Cli;
using Rekernel.Discovery;
using Rekernel.Locking;
using Rekernel.Tests.Fakes;
using Rekernel.Tests.Planning;
using Rekernel.Operations;

namespace Rekernel.Tests.Cli;

/// <summary>Long steps show a status line on a terminal, and never with --quiet, --json or without a terminal.</summary>
public sealed class ProgressTests
{
    private static (int Code, string Out, string Err) Run(SwitchSandbox sandbox, TempBootTree tree, bool terminal, params string[] args)
    {
        BootEntry entry = DebianTree.Entry("/boot/intel-ucode.img", $"/boot/initrd.img-{DebianTree.Version}");
        var fake = new FakeKexecSystem();
        MachineServices services = sandbox.RunningDebian().ServicesWith(fake) with { Discover = _ => new BootInventory([entry], entry, Bootloader.Grub, []) };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] root = args[0] == "unload" ? [] : ["--root", tree.HostPath];
        int code = CliApp.Run([.. args, .. root], new CliConsole(stdout, stderr, outputIsTerminal: terminal), services);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void WaitingForTheLock_OnATerminal_SaysWhoHoldsIt_ThenClearsTheLine()
    {
        using var sandbox = new SwitchSandbox();
        using TempBootTree tree = DebianTree.Create();
        using ProcessLock held = ProcessLock.Acquire(sandbox.RunDirectory, "rekernel switch");
        (int code, _, string err) = Run(sandbox, tree, terminal: true, "unload");
        Assert.Equal((int)ExitCode.Busy, code);
        Assert.StartsWith($"\rwaiting up to 0.2 s for rekernel switch (pid {Environment.ProcessId}) to finish...\e[K\r\e[K", err);
    }

    [Theory]
    [InlineData(false, "unload")]
    [InlineData(true, "unload", "--json")]
    [InlineData(true, "unload", "--quiet")]
    public void WaitingForTheLock_WithoutTerminalOrWithJsonOrQuiet_PrintsNoStatusLine(bool terminal, params string[] args)
    {
        using var sandbox = new SwitchSandbox();
        using TempBootTree tree = DebianTree.Create();
        using ProcessLock held = ProcessLock.Acquire(sandbox.RunDirectory, "rekernel switch");
        (int code, _, string err) = Run(sandbox, tree, terminal, args);
        Assert.Equal((int)ExitCode.Busy, code);
        Assert.StartsWith("rekernel: ", err);
        Assert.DoesNotContain("\e[K", err);
    }

    [Fact]
    public void LargeInitrds_OnATerminal_ShowWhatIsBeingRead()
    {
        using var sandbox = new SwitchSandbox();
        using TempBootTree tree = DebianTree.Create();
        tree.Bytes($"/boot/initrd.img-{DebianTree.Version}", new byte[40 << 20]);
        (int code, string output, string err) = Run(sandbox, tree, terminal: true, "load");
        Assert.True(code == 0, err);
        Assert.Equal("\rreading 40 MiB of initrds into memory...\e[K\r\e[K", err);
        Assert.StartsWith("Staged 6.1.0-53-amd64", output);

        (code, _, err) = Run(sandbox, tree, terminal: true, "load", "--json");
        Assert.Equal(0, code);
        Assert.Equal("", err);
    }
}
