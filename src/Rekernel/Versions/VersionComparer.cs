namespace Rekernel.Versions;

/// <summary>
/// Orders kernel release strings (<c>uname -r</c> values such as <c>3.10.0-1160.el7.x86_64</c> or
/// <c>6.1.0-53-amd64</c>) the way the machine's package manager orders them; null sorts before every version.
/// </summary>
public sealed class VersionComparer : IComparer<string?>
{
    private static readonly VersionComparer RpmComparer = new(VersionScheme.Rpm);
    private static readonly VersionComparer DpkgComparer = new(VersionScheme.Dpkg);

    private VersionComparer(VersionScheme scheme) => Scheme = scheme;

    public VersionScheme Scheme { get; }

    /// <summary>The comparer for a scheme (one shared instance per scheme; it holds no state).</summary>
    public static VersionComparer For(VersionScheme scheme) => scheme switch
    {
        VersionScheme.Rpm => RpmComparer,
        VersionScheme.Dpkg => DpkgComparer,
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown version scheme"),
    };

    /// <summary>
    /// The whole release string goes to the scheme's comparison: rpm compares it with <c>rpmvercmp</c> as one
    /// string (the '-' is a separator like '.'), dpkg parses it as a Debian version (upstream up to the last '-').
    /// </summary>
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return x is null ? (y is null ? 0 : -1) : 1;
        return Scheme == VersionScheme.Dpkg ? DpkgVersion.Compare(x, y) : RpmVersion.Compare(x, y);
    }
}
