namespace Rekernel.Discovery.Grub;

/// <summary>
/// Resolves GRUB's <c>default</c> variable against a menu as grub-core/normal/menu.c does: a number is an index
/// into the top-level menu, anything else matches an entry's title or id; <c>&gt;</c> separates a submenu from
/// the item inside it (<c>&gt;&gt;</c> is a literal <c>&gt;</c>); an invalid value selects the first item.
/// </summary>
public static class GrubDefaultSelector
{
    public static GrubDefault Select(IReadOnlyList<GrubMenuItem> items, string? spec)
    {
        if (items.Count == 0) return new GrubDefault(null, FellBack: true);
        int index = Index(items, spec);
        bool fellBack = index < 0;
        GrubMenuItem item = items[Math.Max(index, 0)];
        if (!item.IsSubmenu) return new GrubDefault(item, fellBack);
        // Entering a submenu passes on what follows the first '>' as the submenu's default.
        GrubDefault inner = Select(item.Children, fellBack ? null : Rest(spec!));
        return inner with { FellBack = fellBack || inner.FellBack };
    }

    private static int Index(IReadOnlyList<GrubMenuItem> items, string? spec)
    {
        if (string.IsNullOrEmpty(spec)) return -1;
        if (Number(spec) is int n) return n < items.Count ? n : -1;
        for (int i = 0; i < items.Count; i++)
        {
            if (Matches(items[i].Title, spec) || (items[i].Id is { } id && Matches(id, spec))) return i;
        }
        return -1;
    }

    // grub_strtoul with the tail check GRUB applies: digits up to the end or the first '>'.
    private static int? Number(string spec)
    {
        int end = 0;
        while (end < spec.Length && char.IsAsciiDigit(spec[end])) end++;
        if (end == 0 || (end < spec.Length && spec[end] != '>')) return null;
        return int.TryParse(spec.AsSpan(0, end), out int n) ? n : int.MaxValue;
    }

    /// <summary>menuentry_eq: <paramref name="name"/> equals the first component of <paramref name="spec"/>.</summary>
    internal static bool Matches(string name, string spec)
    {
        int i = 0, j = 0;
        while (true)
        {
            bool separator = j < spec.Length && spec[j] == '>' && !(j + 1 < spec.Length && spec[j + 1] == '>');
            if (separator) return i == name.Length;
            if (j < spec.Length && spec[j] == '>') j++;
            if (j >= spec.Length) return i == name.Length;
            if (i >= name.Length || name[i] != spec[j]) return false;
            i++;
            j++;
        }
    }

    private static string? Rest(string spec)
    {
        for (int j = 0; j < spec.Length; j++)
        {
            if (spec[j] != '>') continue;
            if (j + 1 < spec.Length && spec[j + 1] == '>') { j++; continue; }
            return spec[(j + 1)..];
        }
        return null;
    }
}
