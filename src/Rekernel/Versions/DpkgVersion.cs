using System.Text;

namespace Rekernel.Versions;

/// <summary>
/// dpkg's version ordering, ported from dpkg (<c>lib/dpkg/version.c</c>, <c>parseversion</c> in
/// <c>lib/dpkg/parsehelp.c</c>, and <c>--compare-versions</c> in <c>src/main/enquiry.c</c>), so that kernels sort
/// exactly as <c>dpkg --compare-versions</c>, apt and <c>linux-version sort</c> sort them.
/// </summary>
public static class DpkgVersion
{
    private const int MaxStackBytes = 256;

    /// <summary>
    /// The sign of <c>dpkg_version_compare</c>: 1 when <paramref name="a"/> is newer, -1 when older, 0 when
    /// equal for dpkg (<c>1.0</c> and <c>1.00</c>). The string is <c>[epoch:]upstream[-revision]</c>, split at the
    /// first ':' and the last '-', so a whole kernel release such as <c>6.1.0-53-amd64</c> is upstream
    /// <c>6.1.0-53</c> with revision <c>amd64</c>.
    /// </summary>
    /// <remarks>
    /// As in <c>dpkg --compare-versions</c>, an empty string (or <c>&lt;unknown&gt;</c>) is older than every
    /// version. Strings dpkg refuses outright (embedded spaces, a bad epoch, nothing after the colon or the last
    /// hyphen) still get a stable place in the order instead of an exception: the parse keeps what it can.
    /// </remarks>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // dpkg sees C strings: anything after an embedded NUL does not exist for it.
        a = UpToNul(a);
        b = UpToNul(b);
        bool blankA = IsBlank(a), blankB = IsBlank(b);
        if (blankA || blankB) return blankA == blankB ? 0 : blankA ? -1 : 1;

        // dpkg compares C bytes; UTF-8 keeps ASCII as is and gives other characters the bytes dpkg would see.
        Span<byte> bufA = Encoding.UTF8.GetMaxByteCount(a.Length) <= MaxStackBytes ? stackalloc byte[MaxStackBytes] : new byte[Encoding.UTF8.GetByteCount(a)];
        Span<byte> bufB = Encoding.UTF8.GetMaxByteCount(b.Length) <= MaxStackBytes ? stackalloc byte[MaxStackBytes] : new byte[Encoding.UTF8.GetByteCount(b)];
        ReadOnlySpan<byte> bytesA = bufA[..Encoding.UTF8.GetBytes(a, bufA)];
        ReadOnlySpan<byte> bytesB = bufB[..Encoding.UTF8.GetBytes(b, bufB)];

        var pa = Parse(bytesA);
        var pb = Parse(bytesB);
        if (pa.Epoch != pb.Epoch) return pa.Epoch > pb.Epoch ? 1 : -1;
        int rc = VerRevCmp(bytesA[pa.Version], bytesB[pb.Version]);
        if (rc == 0) rc = VerRevCmp(bytesA[pa.Revision], bytesB[pb.Revision]);
        return Math.Sign(rc);
    }

    /// <summary>dpkg's <c>verrevcmp</c>: non-digit runs by <see cref="Order"/>, then digit runs as numbers.</summary>
    private static int VerRevCmp(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            int firstDiff = 0;
            while ((i < a.Length && !IsDigit(a[i])) || (j < b.Length && !IsDigit(b[j])))
            {
                int ac = Order(At(a, i)), bc = Order(At(b, j));
                if (ac != bc) return ac - bc;
                i++; j++;
            }
            while (i < a.Length && a[i] == '0') i++;
            while (j < b.Length && b[j] == '0') j++;
            while (i < a.Length && j < b.Length && IsDigit(a[i]) && IsDigit(b[j]))
            {
                if (firstDiff == 0) firstDiff = a[i] - b[j];
                i++; j++;
            }
            if (i < a.Length && IsDigit(a[i])) return 1;
            if (j < b.Length && IsDigit(b[j])) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }

    /// <summary>
    /// dpkg's <c>order()</c>: '~' before the end of the string, the end before letters, letters before everything
    /// else. dpkg reads a plain (signed on x86) <c>char</c>, so bytes above 0x7f weigh 128..255.
    /// </summary>
    private static int Order(int c)
    {
        if (c == 0) return 0;
        if (IsDigit(c)) return 0;
        if (IsAlpha(c)) return c;
        if (c == '~') return -1;
        return (sbyte)c + 256;
    }

    /// <summary>Where epoch, upstream version and revision sit in the bytes (<c>parseversion</c>).</summary>
    private static (long Epoch, Range Version, Range Revision) Parse(ReadOnlySpan<byte> s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsBlank(s[start])) start++;
        while (end > start && IsBlank(s[end - 1])) end--;
        // dpkg refuses embedded spaces; keeping them (they sort as punctuation) still gives a total order.

        long epoch = 0;
        int colon = s[start..end].IndexOf((byte)':');
        if (colon >= 0 && EpochBefore(s[start..(start + colon)]) is { } e)
        {
            epoch = e;
            start += colon + 1;
        }
        var version = new Range(start, end);
        var revision = new Range(end, end);
        int hyphen = s[start..end].LastIndexOf((byte)'-');
        if (hyphen >= 0)
        {
            version = new Range(start, start + hyphen);
            revision = new Range(start + hyphen + 1, end);
        }
        return (epoch, version, revision);
    }

    /// <summary>
    /// The epoch when the text before the first ':' is what <c>strtol</c> reads whole and dpkg accepts
    /// (0..INT_MAX, optional leading space and sign); null otherwise, and then the colon stays in the version.
    /// </summary>
    private static long? EpochBefore(ReadOnlySpan<byte> text)
    {
        int k = 0;
        while (k < text.Length && IsCSpace(text[k])) k++;
        bool negative = false;
        if (k < text.Length && (text[k] == '+' || text[k] == '-')) negative = text[k++] == '-';
        if (k == text.Length) return null;
        long value = 0;
        for (; k < text.Length; k++)
        {
            if (!IsDigit(text[k])) return null;
            value = value * 10 + (text[k] - '0');
            if (value > int.MaxValue) return null;
        }
        if (negative && value != 0) return null;
        return value;
    }

    /// <summary>
    /// <c>dpkg --compare-versions</c> treats an empty argument and the literal <c>&lt;unknown&gt;</c> as "no version",
    /// older than any version; a blank-only string (an error for dpkg) joins them.
    /// </summary>
    private static bool IsBlank(string v) => v == "<unknown>" || v.AsSpan().Trim(" \t").IsEmpty;

    private static string UpToNul(string s)
    {
        int nul = s.IndexOf('\0');
        return nul < 0 ? s : s[..nul];
    }

    private static int At(ReadOnlySpan<byte> s, int i) => i < s.Length ? s[i] : 0;

    private static bool IsDigit(int c) => c is >= '0' and <= '9';

    private static bool IsAlpha(int c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    private static bool IsBlank(byte c) => c is (byte)' ' or (byte)'\t';

    private static bool IsCSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';
}
