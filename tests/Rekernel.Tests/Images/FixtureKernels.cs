namespace Rekernel.Tests.Images;

/// <summary>
/// The fake kernels committed under tests/fixtures, made by <see cref="FakeKernel"/>. A test checks that the files
/// on disk are still what the generator writes; run the tests with REKERNEL_REGEN_FIXTURES=1 to rewrite them.
/// </summary>
internal static class FixtureKernels
{
    public static readonly (string Path, string Banner)[] All =
    [
        ("debian12-plain/boot/vmlinuz-6.1.0-47-amd64",
            "6.1.0-47-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)"),
        ("debian12-plain/boot/vmlinuz-6.1.0-53-amd64",
            "6.1.0-53-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.187-1 (2026-09-07)"),
        ("arch-plain/boot/vmlinuz-linux",
            "6.6.1-arch1-1 (linux@archlinux) #1 SMP PREEMPT_DYNAMIC Wed, 08 Nov 2023 16:05:38 +0000"),
        ("arch/boot/vmlinuz-linux",
            "6.6.10-arch1-1 (linux@archlinux) #1 SMP PREEMPT_DYNAMIC Fri, 05 Jan 2024 16:20:41 +0000"),
        ("arch/boot/vmlinuz-linux-lts",
            "6.1.71-1-lts (linux-lts@archlinux) #1 SMP PREEMPT_DYNAMIC Fri, 05 Jan 2024 17:08:33 +0000"),
        ("arch-grub/boot/vmlinuz-linux",
            "6.6.10-arch1-1 (linux@archlinux) #1 SMP PREEMPT_DYNAMIC Fri, 05 Jan 2024 16:20:41 +0000"),
        ("arch-grub/boot/vmlinuz-linux-lts",
            "6.1.71-1-lts (linux-lts@archlinux) #1 SMP PREEMPT_DYNAMIC Fri, 05 Jan 2024 17:08:33 +0000"),
    ];
}
