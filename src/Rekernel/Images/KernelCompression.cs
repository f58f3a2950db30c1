namespace Rekernel.Images;

/// <summary>How the Image inside a kernel file is compressed (<see cref="PackedKernel"/>).</summary>
public enum KernelCompression
{
    None,
    /// <summary>gzip (RFC 1952), whose trailer ends with the uncompressed length.</summary>
    Gzip,
    /// <summary>zstd, followed in an EFI zboot image by the uncompressed length as a 32-bit little-endian word.</summary>
    Zstd,
}
