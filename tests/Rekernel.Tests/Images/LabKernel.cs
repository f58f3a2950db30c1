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

    private static string CachedVmlinuz(string release)
    {
        string path = Path.Combine(Cache, "kernels", release, "boot", "vmlinuz-" + release);
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: run make lab-kernels");
        return path;
    }
}
