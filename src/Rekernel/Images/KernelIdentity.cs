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
        try
        {
            using FileStream? stream = Native.FileSyscalls.OpenRegularStream(hostPath);
            if (stream is null) return new(null, "cannot read the kernel image: not a regular file");
            var whole = new FileSpan(0, stream.Length);
            BzImageParseResult bz = BzImageHeader.Read(stream);
            if (bz.Header is not null) return new(bz.Header.Release, null);
            PackedKernel packed = KernelUnpacker.Detect(stream.SafeFileHandle, whole);
            if (packed.Problem is { } problem) return new(null, problem);
            byte[] head = KernelUnpacker.ReadHead(stream.SafeFileHandle, packed, Arm64ImageHeader.HeaderLength);
            if (packed.Packing == KernelPacking.Plain && !Arm64ImageHeader.HasMagic(head)) return new(null, bz.Problem);
            if (withRelease && Arm64ImageHeader.HasMagic(head)) head = KernelUnpacker.ReadHead(stream.SafeFileHandle, packed, Arm64ImageHeader.MaxImageLength);
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
