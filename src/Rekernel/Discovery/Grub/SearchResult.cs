namespace Rekernel.Discovery.Grub;

/// <summary>Whether GRUB's <c>search</c> would find what it looks for, as far as the tree tells.</summary>
internal enum SearchResult
{
    Found,
    NotFound,
    /// <summary>The tree holds nothing that says (no <c>/etc/fstab</c> entry, no <c>/dev/disk/by-*</c> view).</summary>
    Unknown,
}
