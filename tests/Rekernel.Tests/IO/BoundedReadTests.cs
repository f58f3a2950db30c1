using System.Diagnostics;
using System.Text;
using Rekernel.IO;
using Rekernel.Tests.Journal;

namespace Rekernel.Tests.IO;

public sealed class BoundedReadTests
{
    [Fact]
    public async Task UnseekableFile_LikeSecurityfsLockdown_IsReadSequentially()
    {
        // securityfs files (/sys/kernel/security/lockdown) cannot seek; a FIFO is the unseekable file a test can make.
        using var dir = new ScratchDirectory();
        string fifo = dir.File("fifo");
        await Process.Start("mkfifo", [fifo]).WaitForExitAsync();
        Task writer = Task.Run(() => File.WriteAllText(fifo, "none [integrity] confidentiality\n"));
        using var handle = File.OpenHandle(fifo);

        byte[]? bytes = BoundedRead.All(handle, 4096);

        await writer;
        Assert.Equal("none [integrity] confidentiality\n", Encoding.UTF8.GetString(bytes!));
    }

    [Fact]
    public void ProcFileReportingSizeZero_IsReadToTheEnd()
    {
        // stat says 0 bytes; the content is still there, ending with the last line.
        using var handle = File.OpenHandle("/proc/self/status");
        string text = Encoding.UTF8.GetString(BoundedRead.All(handle, 1 << 20)!);
        Assert.StartsWith("Name:\t", text);
        Assert.Contains("\nVmPeak:", text);
        Assert.EndsWith("\n", text);
    }

    [Fact]
    public void FileLargerThanTheLimit_IsNotRead()
    {
        using var dir = new ScratchDirectory();
        string path = dir.Write("big", new string('x', 5000));
        Assert.Null(BoundedRead.All(File.OpenHandle(path), 4096));
        Assert.Equal(4096, BoundedRead.All(File.OpenHandle(dir.Write("exact", new string('y', 4096))), 4096)!.Length);
    }
}
