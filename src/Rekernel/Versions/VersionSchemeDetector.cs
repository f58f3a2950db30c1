using Rekernel.Discovery;

namespace Rekernel.Versions;

/// <summary>Which packaging rules order kernel versions inside a root.</summary>
public static class VersionSchemeDetector
{
    /// <summary>
    /// Dpkg when the root is a Debian-family system (<c>/etc/debian_version</c>, or a dpkg database without an rpm
    /// database beside it); Rpm otherwise.
    /// </summary>
    /// <remarks>
    /// A dpkg database alone is not decisive because Fedora and SUSE ship a <c>dpkg</c> package (for building
    /// .debs) that can create <c>/var/lib/dpkg/status</c>; <c>/etc/debian_version</c> comes from Debian's
    /// base-files and is always there on Debian and Ubuntu. Everything else (RHEL, Fedora, SUSE, and also Arch or
    /// an unknown distribution) gets rpm's ordering: for the version strings kernels carry (digits, letters, '.',
    /// '-', '_', '+') it is plain segment-wise numeric/alphabetic ordering, and pacman's <c>vercmp</c> is itself
    /// derived from rpmvercmp.
    /// </remarks>
    public static VersionScheme Detect(BootRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.FileExists("/etc/debian_version")) return VersionScheme.Dpkg;
        bool hasDpkgDb = root.FileExists("/var/lib/dpkg/status");
        bool hasRpmDb = root.DirectoryExists("/var/lib/rpm") || root.DirectoryExists("/usr/lib/sysimage/rpm");
        return hasDpkgDb && !hasRpmDb ? VersionScheme.Dpkg : VersionScheme.Rpm;
    }
}
