using Microsoft.Win32.SafeHandles;
using Rekernel.Native;

namespace Rekernel.Images;

/// <summary>
/// What discovery needs of a kernel file of either architecture, compressed or not: whether it is a kernel
/// (<see cref="Problem"/> is null) and, when asked for, the release its version banner names.
/// </summary>
public readonly record struct KernelIdentity(string? Release, string? Problem)
{
    /// <summary>
    /// Reads a kernel file on the host: a bzImage's header, else an arm64 Image, decompressed first when it is gzip
    /// or EFI zboot. Only the head is read unless <paramref name="withRelease"/>: an Image's banner lies about 12 MB
    /// in, so the whole Image is read (and decompressed) only for a kernel whose file name carries no release.
    /// Never throws for a missing, unreadable or corrupt file.
    /// </summary>
    public static KernelIdentity Read(string hostPath, bool withRelease)
    {
        using SafeFileHandle? file = FileSyscalls.OpenRegular(hostPath, out long size);
        return file is null ? NotRegular : Read(file, size, withRelease);
    }

    /// <summary>What <see cref="Read(string, bool)"/> says of a path that names no regular file.</summary>
    public static KernelIdentity NotRegular { get; } = new(null, "cannot read the kernel image: not a regular file");

    /// <summary><see cref="Read(string, bool)"/> of a regular file just opened (at its first byte), <paramref name="size"/> bytes long.</summary>
    public static KernelIdentity Read(SafeFileHandle file, long size, bool withRelease)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            var whole = new FileSpan(0, size);
            BzImageParseResult bz = BzImageHeader.Read(file, size);
            if (bz.Header is not null) return new(bz.Header.Release, null);
            PackedKernel packed = KernelUnpacker.Detect(file, whole);
            if (packed.Problem is { } problem) return new(null, problem);
            byte[] head = KernelUnpacker.ReadHead(file, packed, Arm64ImageHeader.HeaderLength);
            if (packed.Packing == KernelPacking.Plain && !Arm64ImageHeader.HasMagic(head)) return new(null, bz.Problem);
            if (withRelease && Arm64ImageHeader.HasMagic(head)) head = KernelUnpacker.ReadHead(file, packed, Arm64ImageHeader.MaxImageLength);
            Arm64ImageParseResult arm = Arm64ImageHeader.Parse(head);
            return new(arm.Header?.Release, arm.Header is null ? arm.Problem : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // InvalidDataException (corrupt gzip) is an IOException.
            return new(null, $"cannot read the kernel image: {e.Message}");
        }
    }
}
