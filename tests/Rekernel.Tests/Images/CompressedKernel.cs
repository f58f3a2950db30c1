using System.Buffers.Binary;
using System.Diagnostics;

namespace Rekernel.Tests.Images;

/// <summary>Compressed arm64 kernels for the tests, made with the real tools from the lab's real Debian Image.</summary>
internal static class CompressedKernel
{
    private static readonly Lazy<byte[]> RealGzip = new(() => Gzip(File.ReadAllBytes(LabKernel.Arm64Vmlinuz)));

    /// <summary><c>gzip -9 -n</c> of Debian's 6.1.0-53-cloud-arm64 Image: an <c>Image.gz</c> as Arch Linux ARM ships one.</summary>
    public static byte[] DebianImageGz => RealGzip.Value;

    /// <summary>What the real <c>gzip -9 -n</c> makes of <paramref name="data"/> (the kernel's own cmd_gzip uses these flags).</summary>
    public static byte[] Gzip(byte[] data) => Tool("gzip", ["-9", "-n", "-c"], data);

    /// <summary>What the real <c>zstd -19</c> makes of <paramref name="data"/>.</summary>
    public static byte[] Zstd(byte[] data) => Tool("zstd", ["-19", "-q", "-c"], data);

    /// <summary>
    /// FIXTURE, not a genuine zboot image: no EFI stub could be built here (that takes a kernel build), so this is
    /// the documented header of drivers/firmware/efi/libstub/zboot-header.S ("MZ", "zimg" at 4, payload offset
    /// and size at 8 and 12, the compression's name at 24, the PE header offset at 0x3c) in front of a real
    /// compressed payload, placed at 0x1000 and followed by padding as the stub's sections are.
    /// </summary>
    public static byte[] Zboot(byte[] payload, string compression)
    {
        const int payloadOffset = 0x1000;
        byte[] file = new byte[payloadOffset + payload.Length + 0x200];
        Span<byte> b = file;
        "MZ"u8.CopyTo(b);
        "zimg"u8.CopyTo(b[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], payloadOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], (uint)payload.Length);
        System.Text.Encoding.ASCII.GetBytes(compression).CopyTo(b[24..]);
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x3C..], 0x40);
        "PE\0\0"u8.CopyTo(b[0x40..]);
        payload.CopyTo(b[payloadOffset..]);
        return file;
    }

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
