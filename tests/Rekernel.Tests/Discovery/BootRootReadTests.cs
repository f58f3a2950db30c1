using System.Text;
using Rekernel.Discovery;
using Rekernel.Tests.Planning;

namespace Rekernel.Tests.Discovery;

public sealed class BootRootReadTests
{
    [Fact]
    public void GrubCfgWithUtf8Title_ReadsAsText()
    {
        using var tree = new TempBootTree();
        tree.Text("/boot/grub/grub.cfg", "menuentry 'Debian GNU/Linux, mit Linux 6.1.0 – Wiederherstellung' {\n}\n");
        Assert.Equal("menuentry 'Debian GNU/Linux, mit Linux 6.1.0 – Wiederherstellung' {\n}\n", tree.Root.ReadText("/boot/grub/grub.cfg"));
    }

    [Fact]
    public void FileWithUtf8ByteOrderMark_ReadsWithoutTheMark()
    {
        using var tree = new TempBootTree();
        tree.Bytes("/etc/default/grub", [0xEF, 0xBB, 0xBF, .. "GRUB_TIMEOUT=5\n"u8]);
        Assert.Equal("GRUB_TIMEOUT=5\n", tree.Root.ReadText("/etc/default/grub"));
    }

    [Fact]
    public void FileWithUtf16ByteOrderMark_IsDecodedAsBefore()
    {
        using var tree = new TempBootTree();
        tree.Bytes("/boot/loader/loader.conf", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("timeout 3\n")]);
        Assert.Equal("timeout 3\n", tree.Root.ReadText("/boot/loader/loader.conf"));
    }

    [Fact]
    public void InvalidUtf8_BecomesReplacementCharacters()
    {
        using var tree = new TempBootTree();
        tree.Bytes("/boot/grub/grubenv", [.. "saved_entry="u8, 0xC3, 0x28, .. "\n"u8]);
        Assert.Equal("saved_entry=\uFFFD(\n", tree.Root.ReadText("/boot/grub/grubenv"));
    }

    [Fact]
    public void EmptyFile_ReadsAsEmpty()
    {
        using var tree = new TempBootTree();
        tree.Bytes("/etc/machine-id", []);
        Assert.Equal("", tree.Root.ReadText("/etc/machine-id"));
        Assert.Empty(tree.Root.ReadBytes("/etc/machine-id")!);
    }

    [Fact]
    public void FileOfManyBlocks_IsReadWhole()
    {
        using var tree = new TempBootTree();
        byte[] content = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];
        tree.Bytes("/boot/config-6.1.0-53-amd64", content);
        Assert.Equal(content, tree.Root.ReadBytes("/boot/config-6.1.0-53-amd64"));
    }

    [Fact]
    public void FileLargerThanTheLimit_IsNotRead()
    {
        using var tree = new TempBootTree();
        // The limit is 16 MiB.
        tree.Bytes("/boot/grub/grub.cfg", new byte[16_777_217]);
        Assert.Null(tree.Root.ReadBytes("/boot/grub/grub.cfg"));
        tree.Bytes("/boot/grub/grub.cfg", new byte[16_777_216]);
        Assert.Equal(16_777_216, tree.Root.ReadBytes("/boot/grub/grub.cfg")!.Length);
    }

    [Fact]
    public void ProcFileThatReportsSizeZero_IsReadToTheEnd()
    {
        // /proc files stat as 0 bytes: the size is only a first guess. This process's maps run past one 4 KiB block.
        string? maps = new BootRoot("/").ReadText("/proc/self/maps");
        Assert.NotNull(maps);
        Assert.True(maps.Length > 4096, $"only {maps.Length} characters read");
        Assert.EndsWith("\n", maps);
    }
}
