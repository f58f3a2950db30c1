using System.Collections.Immutable;

namespace Rekernel.Images;

/// <summary>The section table of a PE/COFF file, in file order.</summary>
public sealed record PeSections(ushort Machine, ImmutableArray<PeSection> All)
{
    /// <summary>The first section with this exact name (systemd-stub also takes the first), or null.</summary>
    public PeSection? Find(string name)
    {
        foreach (PeSection s in All)
        {
            if (s.Name == name) return s;
        }
        return null;
    }

    /// <summary>Where the named section's bytes lie in the file, or null when there is no such section.</summary>
    public FileSpan? SpanOf(string name) => Find(name)?.Span;

    public bool Contains(string name) => Find(name) is not null;
}
