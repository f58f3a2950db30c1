namespace Rekernel.Discovery.Grub;

/// <summary>
/// The order in which the Fedora/RHEL <c>blscfg</c> command (grub-core/commands/blscfg.c) adds BLS entries:
/// newest first by the entry's file name split like an rpm NVR (name-version-release, at the last two dashes),
/// each part compared with blscfg's own rpm-style <c>vercmp</c>. It ignores <c>sort-key</c> and <c>version</c>.
/// An entry comparing equal to one already added is rejected, as blscfg does.
/// </summary>
public static class GrubBlsOrder
{
    /// <summary>
    /// blscfg inserts each entry before the first one it is newer than; the list is kept sorted, so that place
    /// is found by bisection (a thousand entries cost ten thousand compares, not half a million).
    /// </summary>
    public static IReadOnlyList<BootEntry> Sort(IReadOnlyList<BootEntry> entries)
    {
        var sorted = new List<(BootEntry Entry, (string, string, string) Key)>(entries.Count);
        foreach (BootEntry entry in entries)
        {
            var key = Split(entry.Id);
            int low = 0, high = sorted.Count;
            while (low < high)
            {
                int mid = (low + high) / 2;
                if (Compare(key, sorted[mid].Key) >= 0) high = mid;
                else low = mid + 1;
            }
            if (low == sorted.Count || Compare(key, sorted[low].Key) != 0) sorted.Insert(low, (entry, key));
        }
        return [.. sorted.Select(s => s.Entry)];
    }

    /// <summary>Positive when <paramref name="a"/> is newer (split_cmp with a name part).</summary>
    private static int Compare((string Name, string Version, string Release) a, (string Name, string Version, string Release) b)
    {
        int c = VerCmp(a.Name, b.Name);
        if (c != 0) return c;
        c = VerCmp(a.Version, b.Version);
        return c != 0 ? c : VerCmp(a.Release, b.Release);
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
            ReadOnlySpan<char> sa = a.AsSpan(i, endA - i), sb = b.AsSpan(j, endB - j);
            if (numeric)
            {
                sa = sa.TrimStart('0');
                sb = sb.TrimStart('0');
                if (sa.Length != sb.Length) return sa.Length > sb.Length ? 1 : -1;
            }
            int c = sa.SequenceCompareTo(sb);
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
