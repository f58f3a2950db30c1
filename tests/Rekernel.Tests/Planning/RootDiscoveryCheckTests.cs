using Rekernel.Discovery;
using Rekernel.Images;
using Rekernel.Planning;

namespace Rekernel.Tests.Planning;

public sealed class RootDiscoveryCheckTests
{
    private const string Running = "BOOT_IMAGE=(hd0,msdos1)/vmlinuz-4.18.0-348.el8.x86_64 root=/dev/mapper/rhel-root ro crashkernel=auto rhgb quiet";

    private static readonly BootEntry Rhel8 = new()
    {
        Id = "3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50-4.18.0-477.10.1.el8_8.x86_64",
        Title = "Red Hat Enterprise Linux (4.18.0-477.10.1.el8_8.x86_64) 8.8 (Ootpa)",
        Kernel = "/boot/vmlinuz-4.18.0-477.10.1.el8_8.x86_64",
        Cmdline = "",
        Source = BootEntrySource.Bls,
        Origin = "/boot/loader/entries/3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50-4.18.0-477.10.1.el8_8.x86_64.conf:4",
    };

    [Fact]
    public void Rhel8_EmptyKernelOptsPlannedOnlyPanic_IsRefusedNamingTheEntry()
    {
        var e = Assert.Throws<RekernelException>(() => RootDiscoveryCheck.Check(Rhel8, "panic=10", Running));
        Assert.Equal(ExitCode.Refused, e.ExitCode);
        Assert.Equal(
            "the command line planned for the entry 'Red Hat Enterprise Linux (4.18.0-477.10.1.el8_8.x86_64) 8.8 (Ootpa)' "
            + "(/boot/loader/entries/3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50-4.18.0-477.10.1.el8_8.x86_64.conf:4) has no root= although the running kernel's has one, "
            + "so the new kernel would not find its root file system; fix the entry's options or add root=... with --append.",
            Rekernel.Cli.FlagAdvice.Sentence(e.Finding));
        Assert.EndsWith("file system; fix the entry's options or add root=... to the command line.", e.Message);
    }

    [Theory]
    [InlineData("root=/dev/mapper/rhel-root ro panic=10")]
    [InlineData("ro systemd.gpt_auto panic=10")]
    [InlineData("ro rd.systemd.gpt_auto=1 panic=10")]
    public void CommandLineThatFindsItsRoot_IsAccepted(string cmdline) => RootDiscoveryCheck.Check(Rhel8, cmdline, Running);

    [Fact]
    public void GptAutoSwitchedOff_DoesNotCountAsDiscovery() =>
        Assert.Throws<RekernelException>(() => RootDiscoveryCheck.Check(Rhel8, "ro systemd.gpt_auto=0", Running));

    [Fact]
    public void RunningKernelWithoutRoot_NothingToCompareWith() =>
        RootDiscoveryCheck.Check(Rhel8, "quiet panic=10", "BOOT_IMAGE=/vmlinuz quiet");

    [Fact]
    public void Uki_EmbeddedCommandLineWithoutRoot_IsTheImagesOwnChoice() =>
        RootDiscoveryCheck.Check(Rhel8 with { Source = BootEntrySource.Uki, Cmdline = "quiet", Uki = new UkiLayout(new FileSpan(0, 1), null) }, "quiet panic=10", Running);
}
