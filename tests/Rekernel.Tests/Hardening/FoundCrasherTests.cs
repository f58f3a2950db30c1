using System.Text;
using Rekernel.Discovery;
using Rekernel.Discovery.Bls;
using Rekernel.Discovery.Grub;
using Rekernel.Journal;
using Rekernel.Planning;
using Rekernel.Switching;
using Rekernel.Tests.Journal;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Hardening;

/// <summary>
/// Inputs the fuzz tests found that crashed rekernel (an exception other than its own, shown to the user as
/// "internal error") or misled it; each is kept as it was found.
/// </summary>
public sealed class FoundCrasherTests
{
    [Fact]
    public void WhenFarInTheFuture_IsAUsageError_NotAnInternalError()
    {
        var ex = Assert.Throws<RekernelException>(() => SwitchTime.Parse("+3548598d", DateTimeOffset.UnixEpoch, TimeZoneInfo.Utc));
        Assert.Equal(ExitCode.Usage, ex.ExitCode);
        Assert.Contains("too far away", ex.Message);
    }

    [Fact]
    public void JournalOverwrittenWithInvalidUtf8_IsReportedAsCorrupt_NotAnInternalError()
    {
        using var dir = new ScratchDirectory();
        byte[] bytes = Encoding.UTF8.GetBytes("{\"version\":1,\"switches\":[{\"from\":\"X\"}]}");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xF6;
        File.WriteAllBytes(dir.File("journal.json"), bytes);
        var ex = Assert.Throws<RekernelException>(() => new SwitchJournal(dir.Path).History);
        Assert.Equal(ExitCode.ConfigError, ex.ExitCode);
        Assert.Contains("not valid UTF-8", ex.Message);
    }

    [Fact]
    public void GrubLinuxLineWithANulCharacter_IsReadWithoutThrowing()
    {
        using var tree = new TempBootTree();
        tree.Text("/boot/grub/grub.cfg", "menuentry 'nul' {\n  linux /vmlinuz-6.1\0x root=/dev/vda\n}\nconfigfile /a\0b\n");
        GrubMenu menu = GrubReader.Read(tree.Root, GrubEnv.Empty, BlsScan.Empty)!;
        Assert.Equal("/boot/vmlinuz-6.1\0x", menu.Entries.Single().Kernel);
        Assert.Null(tree.Root.ResolveInRoot(menu.Entries.Single().Kernel));
    }

    [Fact]
    public void EntryOptionsWithAnUnterminatedQuote_AreRefused_BecausePanicWouldBeSwallowed()
    {
        var ex = Assert.Throws<RekernelException>(() =>
            CmdlineComposer.Compose("root=/dev/vda \"quiet", null, new CmdlineRequest(), 2048));
        Assert.Equal(ExitCode.Refused, ex.ExitCode);
        Assert.Contains("unterminated double quote (\"quiet)", ex.Message);
        Assert.Equal("root=/dev/vda \"quiet\" panic=10", CmdlineComposer.Compose("root=/dev/vda \"quiet\"", null, new CmdlineRequest(), 2048));
        // Found later: one quote left open and a quoted append closing it keep the argument count, not the arguments.
        var again = Assert.Throws<RekernelException>(() => CmdlineComposer.Compose(
            "\" z\"E panic=5 Gn e\"c aQ# yqscwwzqxdqd", null, new CmdlineRequest { Append = ["foo=\"a b\""] }, 1019));
        Assert.Contains("unterminated double quote (e\"c aQ# yqscwwzqxdqd)", again.Message);
    }
}
