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

    /// <summary>What the real <c>zstd -22 --ultra</c> makes of <paramref name="data"/> (Makefile.lib's cmd_zstd22, without its size_append).</summary>
    public static byte[] Zstd22(byte[] data) => Tool("zstd", ["-22", "--ultra", "-q", "-c"], data);

    /// <summary>LINUX_PE_MAGIC (include/linux/pe.h), at 0x38 of a zboot header as of an arm64 Image.</summary>
    private const uint LinuxPeMagic = 0x818223cd;

    /// <summary>Where the payload starts: the stub's <c>.text</c> begins at 4 KiB (<c>.p2align 12</c>), and this one has no code before the payload.</summary>
    public const int ZbootPayloadOffset = 0x1000;

    /// <summary>
    /// FIXTURE, not a genuine zboot image: the EFI stub's code cannot be built here (it takes a kernel build), so
    /// this is the header of drivers/firmware/efi/libstub/zboot-header.S — "MZ", "zimg" at 4, payload offset and
    /// size at 8 and 12, 8 reserved bytes, the compression's name at 24, LINUX_PE_MAGIC at 0x38, the PE header's
    /// offset at 0x3c and its signature and arm64 machine type there — in front of <paramref name="payload"/> at
    /// 4 KiB; <paramref name="appendedLength"/> (Makefile.zboot's size_append for all but gzip) follows the payload
    /// outside the header's size, and the file is padded to the next 4 KiB as the stub's <c>_etext</c> is.
    /// </summary>
    public static byte[] Zboot(byte[] payload, string compression, uint? appendedLength = null)
    {
        int end = ZbootPayloadOffset + payload.Length + (appendedLength is null ? 0 : 4);
        byte[] file = new byte[(end + 0xFFF) & ~0xFFF];
        Span<byte> b = file;
        "MZ"u8.CopyTo(b);
        "zimg"u8.CopyTo(b[4..]);
        BinaryPrimitives.WriteUInt32LittleEndian(b[8..], ZbootPayloadOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(b[12..], (uint)payload.Length);
        System.Text.Encoding.ASCII.GetBytes(compression).CopyTo(b[24..]);
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x38..], LinuxPeMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x3C..], 0x40);
        "PE\0\0"u8.CopyTo(b[0x40..]);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x44..], 0xAA64); // IMAGE_FILE_MACHINE_ARM64
        payload.CopyTo(b[ZbootPayloadOffset..]);
        if (appendedLength is { } length) BinaryPrimitives.WriteUInt32LittleEndian(b[(ZbootPayloadOffset + payload.Length)..], length);
        return file;
    }

    /// <summary>
    /// What Makefile.zboot feeds the compressor: the Image padded with zeros to its size in memory, BSS included
    /// (<c>truncate -s</c> to the header's <c>image_size</c>, of which it reads the low 32 bits at 16).
    /// </summary>
    public static byte[] ZbootVmlinuxBin(byte[] image)
    {
        byte[] padded = new byte[BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(16))];
        image.AsSpan(0, Math.Min(image.Length, padded.Length)).CopyTo(padded);
        return padded;
    }

    /// <summary>Makefile.zboot's gzip zboot of <paramref name="image"/>: <c>gzip -n -f -9</c> of the padded Image, type "gzip", no size appended.</summary>
    public static byte[] GzipZboot(byte[] image) => Zboot(Gzip(ZbootVmlinuxBin(image)), "gzip");

    /// <summary>Makefile.zboot's zstd zboot of <paramref name="image"/>: <c>zstd -22 --ultra</c> of the padded Image, type "zstd22", its length appended.</summary>
    public static byte[] ZstdZboot(byte[] image, Func<byte[], byte[]>? compress = null)
    {
        byte[] bin = ZbootVmlinuxBin(image);
        return Zboot((compress ?? Zstd22)(bin), "zstd22", (uint)bin.Length);
    }

    private static readonly Lazy<byte[]> RealZstdZboot = new(() => ZstdZboot(File.ReadAllBytes(LabKernel.Arm64Vmlinuz), CachedZstd22));

    private static readonly Lazy<byte[]> RealGzipZboot = new(() => GzipZboot(File.ReadAllBytes(LabKernel.Arm64Vmlinuz)));

    /// <summary>The zstd zboot fixture of Debian's 6.1.0-53-cloud-arm64 Image.</summary>
    public static byte[] DebianZstdZboot => RealZstdZboot.Value;

    /// <summary>The gzip zboot fixture of Debian's 6.1.0-53-cloud-arm64 Image.</summary>
    public static byte[] DebianGzipZboot => RealGzipZboot.Value;

    /// <summary>
    /// <c>zstd -22 --ultra</c> of the padded Debian Image, kept beside the lab's kernels: it costs about 35 CPU
    /// seconds (measured here, 27.9 MB), gzip's 5. Named after the padded Image's hash, written through a
    /// temporary file and a rename, so a cached file is always whole and of that input.
    /// </summary>
    private static byte[] CachedZstd22(byte[] bin)
    {
        string cache = Path.Combine(LabKernel.Cache, "build", $"zboot-vmlinux.bin-{LabKernel.Arm64Release}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bin))[..16]}.zst");
        if (File.Exists(cache)) return File.ReadAllBytes(cache);
        byte[] compressed = Zstd22(bin);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
            string temp = cache + ".tmp-" + Environment.ProcessId;
            File.WriteAllBytes(temp, compressed);
            File.Move(temp, cache, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a read-only cache only costs the time again
        return compressed;
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
