namespace Rekernel.Images;

/// <summary>How a kernel file holds the kernel proper (<see cref="PackedKernel"/>).</summary>
public enum KernelPacking
{
    /// <summary>The file is the kernel: a bzImage, an uncompressed arm64 Image.</summary>
    Plain,
    /// <summary>A gzip stream of the Image (<c>Image.gz</c>, a vmlinuz that is gzip).</summary>
    Gzip,
    /// <summary>An EFI zboot image (CONFIG_EFI_ZBOOT): a PE stub with the compressed Image as its payload.</summary>
    Zboot,
}
