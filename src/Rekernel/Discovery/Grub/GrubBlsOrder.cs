namespace Rekernel.Discovery.Grub;

/// <summary>
/// The order in which the Fedora/RHEL <c>blscfg</c> command (grub-core/commands/blscfg.c) adds BLS entries:
/// newest first by the entry's file name split like an rpm NVR (name-version-release, at the last two dashes),
/// each part compared with blscfg's own rpm-style <c>vercmp</c>. It ignores <c>sort-key</c> and <c>version</c>.
/// An entry comparing equal to one already added is rejected, as blscfg does.
/// </summary>
public static class GrubBlsOrder
{
    public static IReadOnlyList<BootEntry> Sort(IReadOnlyList<BootEntry> entries)
    {
        var sorted = new List<BootEntry>(entries.Count);
        foreach (BootEntry entry in entries)
        {
            int at = sorted.Count;
            bool duplicate = false;
            for (int i = 0; i < sorted.Count; i++)
            {
                int c = CompareIds(entry.Id, sorted[i].Id);
                if (c == 0) { duplicate = true; break; }
                if (c > 0) { at = i; break; }
            }
            if (!duplicate) sorted.Insert(at, entry);
        }
        return sorted;
    }

    /// <summary>Positive when <paramref name="a"/> is newer (split_cmp with a name part).</summary>
    public static int CompareIds(string a, string b)
    {
        var (na, va, ra) = Split(a);
        var (nb, vb, rb) = Split(b);
        int c = VerCmp(na, nb);
        if (c != 0) return c;
        c = VerCmp(va, vb);
        return c != 0 ? c : VerCmp(ra, rb);
    }

    private static (string Name, string Version, string Release) Split(string id)
    {
        int last = id.LastIndexOf('-');
        if (last < 0) return (id, "", "");
        string release = id[(last + 1)..];
        string head = id[..last];
        int prev = head.LastIndexOf('-');
        return prev < 0 ? (head, release, "") : (head[..prev], head[(prev + 1)..], release);
    }

    /// <summary>blscfg's vercmp: rpmvercmp with '~' sorting before and '+' after a base version.</summary>
    public static int VerCmp(string a, string b)
    {
        if (a == b) return 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && !char.IsAsciiLetterOrDigit(a[i]) && a[i] is not ('~' or '+')) i++;
            while (j < b.Length && !char.IsAsciiLetterOrDigit(b[j]) && b[j] is not ('~' or '+')) j++;
            bool tildeA = i < a.Length && a[i] == '~', tildeB = j < b.Length && b[j] == '~';
            if (tildeA || tildeB)
            {
                if (!tildeA) return 1;
                if (!tildeB) return -1;
                i++; j++;
                continue;
            }
            bool plusA = i < a.Length && a[i] == '+', plusB = j < b.Length && b[j] == '+';
            if (plusA || plusB)
            {
                if (i >= a.Length) return -1;
                if (j >= b.Length) return 1;
                if (!plusA) return 1;
                if (!plusB) return -1;
                i++; j++;
                continue;
            }
            if (i >= a.Length || j >= b.Length) break;
            bool numeric = char.IsAsciiDigit(a[i]);
            int endA = Segment(a, i, numeric), endB = Segment(b, j, numeric);
            if (endB == j) return numeric ? 1 : -1;
            string sa = a[i..endA], sb = b[j..endB];
            if (numeric)
            {
                sa = sa.TrimStart('0');
                sb = sb.TrimStart('0');
                if (sa.Length != sb.Length) return sa.Length > sb.Length ? 1 : -1;
            }
            int c = string.CompareOrdinal(sa, sb);
            if (c != 0) return c < 0 ? -1 : 1;
            i = endA;
            j = endB;
        }
        if (i >= a.Length && j >= b.Length) return 0;
        return i >= a.Length ? -1 : 1;
    }

    private static int Segment(string s, int start, bool numeric)
    {
        int end = start;
        while (end < s.Length && (numeric ? char.IsAsciiDigit(s[end]) : char.IsAsciiLetter(s[end]))) end++;
        return end;
    }
}
