using System.Diagnostics;

namespace Rekernel.Tests.Images;

/// <summary>
/// Compressed arm64 kernels for the tests, made with the real tools from the lab's real Debian Image. The EFI zboot
/// images are the kernel's own (<see cref="LabKernel.Zboot"/>).
/// </summary>
internal static class CompressedKernel
{
    private static readonly Lazy<byte[]> RealGzip = new(() => Gzip(File.ReadAllBytes(LabKernel.Arm64Vmlinuz)));

    /// <summary><c>gzip -9 -n</c> of Debian's 6.1.0-53-cloud-arm64 Image: an <c>Image.gz</c> as Arch Linux ARM ships one.</summary>
    public static byte[] DebianImageGz => RealGzip.Value;

    /// <summary>What the real <c>gzip -9 -n</c> makes of <paramref name="data"/> (the kernel's own cmd_gzip uses these flags).</summary>
    public static byte[] Gzip(byte[] data) => Tool("gzip", ["-9", "-n", "-c"], data);

    private static byte[] Tool(string program, string[] args, byte[] input)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task writing = Task.Run(() =>
        {
            p.StandardInput.BaseStream.Write(input);
            p.StandardInput.Close();
        });
        using var output = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(output);
        writing.Wait();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} exited {p.ExitCode}");
        return output.ToArray();
    }
}
