namespace Rekernel.Discovery.Grub;

/// <summary>Which GRUB the tree's distribution ships, where the builds differ in what a menu boots.</summary>
public enum GrubFlavor
{
    /// <summary>GNU GRUB as released (Debian, Ubuntu, Arch): an unquoted <c>\x</c> loses its backslash.</summary>
    Upstream,
    /// <summary>
    /// Fedora's and RHEL's GRUB (rhboot/grub2, "Pass \x[[:hex:]][[:hex:]] straight through unmolested"): <c>\xHH</c>
    /// stays as written, in script words and on the kernel command line (<c>LABEL=CentOS\x207\x20x86_64</c>).
    /// </summary>
    RedHat,
}
