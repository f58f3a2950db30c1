namespace Rekernel.Tests.Images;

/// <summary>The real Debian kernels the VM lab caches (<c>make lab-kernels</c> fetches it).</summary>
internal static class LabKernel
{
    public const string Release = "6.1.0-53-cloud-amd64";

    public static string Cache => Environment.GetEnvironmentVariable("REKERNEL_LAB_CACHE") is { Length: > 0 } c ? c : "/var/cache/rekernel-lab";

    /// <summary>The host path of the real vmlinuz; fails the test (never skips it) when the cache is missing.</summary>
    public static string Vmlinuz => CachedVmlinuz(Release);

    /// <summary>The real Debian arm64 kernel (an uncompressed Image) the lab caches beside the x86 ones.</summary>
    public const string Arm64Release = "6.1.0-53-cloud-arm64";

    public static string Arm64Vmlinuz => CachedVmlinuz(Arm64Release);

    /// <summary>
    /// A genuine EFI zboot image of <see cref="Arm64Release"/>'s Image, made by the kernel's own Makefile.zboot
    /// (tests/vm/build-kernel.sh zboot), with <paramref name="compression"/> "gzip" or "zstd"; fails the test (never
    /// skips it) when the cache does not hold it.
    /// </summary>
    public static string Zboot(string compression) => ZbootFile(compression, "efi");

    /// <summary>The compressed Image Makefile.zboot put into <see cref="Zboot"/>, as it wrote it (zstd: its length appended).</summary>
    public static string ZbootPayload(string compression) => ZbootFile(compression, "payload");

    // build-kernel.sh keys its cache by the hash of its config fragment and of itself (its KEY, 16 hex digits).
    private static string ZbootFile(string compression, string extension)
    {
        string vm = Path.Combine(TestPaths.Repo, "tests", "vm");
        byte[] inputs = [.. File.ReadAllBytes(Path.Combine(vm, "kernel", "arm64-kexec-file.config")), .. File.ReadAllBytes(Path.Combine(vm, "build-kernel.sh"))];
        string key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(inputs))[..16];
        string path = Path.Combine(Cache, "zboot", key, $"vmlinuz-{Arm64Release}.{compression}.{extension}");
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: run make lab-kernels (tests/vm/build-kernel.sh zboot)");
        return path;
    }

    private static string CachedVmlinuz(string release)
    {
        string path = Path.Combine(Cache, "kernels", release, "boot", "vmlinuz-" + release);
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: run make lab-kernels");
        return path;
    }
}
