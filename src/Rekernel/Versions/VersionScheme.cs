namespace Rekernel.Versions;

/// <summary>Which packaging rules order kernel versions on a machine.</summary>
public enum VersionScheme
{
    /// <summary>rpm's <c>rpmvercmp</c> (RHEL, Fedora, SUSE, and the default where no package manager is known).</summary>
    Rpm,
    /// <summary>dpkg's algorithm (Debian, Ubuntu).</summary>
    Dpkg,
}
