namespace Rekernel.Versions;

/// <summary>
/// rpm's version ordering, ported from rpm 4.18 (<c>rpmio/rpmvercmp.c</c> and <c>rpmio/rpmver.c</c>) so that
/// kernels sort exactly as <c>rpm</c>, <c>dnf</c> and <c>grub2-rpm-sort</c> sort them.
/// </summary>
public static class RpmVersion
{
    /// <summary>
    /// <c>rpmvercmp(a, b)</c>: 1 when <paramref name="a"/> is newer, -1 when older, 0 when rpm sees them as equal
    /// (which happens for different strings: <c>1.0</c> and <c>1_0</c>, <c>10.0001</c> and <c>10.1</c>).
    /// </summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // rpm sees C strings: anything after an embedded NUL does not exist for it.
        ReadOnlySpan<char> one = UpToNul(a), two = UpToNul(b);
        if (one.SequenceEqual(two)) return 0;

        // As in StrVerScmp: begin at the round of the loop in which the strings first differ (at the end of the run of
        // letters or digits before the first difference); every earlier round compared equal parts and decided
        // nothing. (Checked against the plain loop on six million generated pairs.)
        int i = one.CommonPrefixLength(two);
        while (i > 0 && IsAlphanumeric(one[i - 1])) i--;
        while (i > 0 && !IsAlphanumeric(one[i - 1])) i--;
        int j = i;
        while (i < one.Length || j < two.Length)
        {
            while (i < one.Length && IsSeparator(one[i])) i++;
            while (j < two.Length && IsSeparator(two[j])) j++;

            // A tilde sorts before everything, even the end of the string (1.0~rc1 < 1.0).
            bool tildeA = At(one, i) == '~', tildeB = At(two, j) == '~';
            if (tildeA || tildeB)
            {
                if (!tildeA) return 1;
                if (!tildeB) return -1;
                i++; j++;
                continue;
            }

            // A caret sorts after the end of the string but before anything else (1.0 < 1.0^git1 < 1.0.1).
            // The end checks come first, exactly as in rpm: that order is what makes "1.0^" newer than "1.0".
            bool caretA = At(one, i) == '^', caretB = At(two, j) == '^';
            if (caretA || caretB)
            {
                if (i == one.Length) return -1;
                if (j == two.Length) return 1;
                if (!caretA) return 1;
                if (!caretB) return -1;
                i++; j++;
                continue;
            }

            if (i == one.Length || j == two.Length) break;

            // Both sides take a run of the kind (digits or letters) that starts the first side.
            bool isNum = IsDigit(one[i]);
            int endA = RunEnd(one, i, isNum), endB = RunEnd(two, j, isNum);

            // rpm's "cannot happen" guard: the first side always has a non-empty run here.
            if (endA == i) return -1;
            // The second side has the other kind: a number is newer than letters.
            if (endB == j) return isNum ? 1 : -1;

            ReadOnlySpan<char> segA = one[i..endA], segB = two[j..endB];
            if (isNum)
            {
                segA = segA.TrimStart('0');
                segB = segB.TrimStart('0');
                if (segA.Length != segB.Length) return segA.Length > segB.Length ? 1 : -1;
            }
            // Segments are ASCII letters or digits here, so ordinal order is strcmp's byte order.
            int rc = segA.SequenceCompareTo(segB);
            if (rc != 0) return rc < 0 ? -1 : 1;

            i = endA; j = endB;
        }

        // Every segment matched; only the separators differed (1.0 == 1_0) or one side has more left.
        if (i == one.Length && j == two.Length) return 0;
        return i == one.Length ? -1 : 1;
    }

    /// <summary>
    /// Compares <c>[epoch:]version[-release]</c> strings as rpm's <c>rpmverCmp</c> (and so <c>rpm.vercmp</c> in
    /// rpm's Lua) does: epoch (missing means 0), then version, then release, each with <see cref="Compare"/>;
    /// a missing release is older than any release, even an empty one.
    /// </summary>
    public static int CompareEvr(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (epochA, versionA, releaseA) = ParseEvr(UpToNul(a).ToString());
        var (epochB, versionB, releaseB) = ParseEvr(UpToNul(b).ToString());
        int rc = Compare(epochA ?? "0", epochB ?? "0");
        if (rc == 0) rc = Compare(versionA, versionB);
        if (rc == 0) rc = CompareValues(releaseA, releaseB);
        return rc;
    }

    /// <summary>
    /// rpm's <c>parseEVR</c>: the epoch is a leading run of digits ended by ':' (an empty one counts as "0"),
    /// the release follows the last '-' after that run.
    /// </summary>
    private static (string? Epoch, string Version, string? Release) ParseEvr(string evr)
    {
        int s = 0;
        while (s < evr.Length && IsDigit(evr[s])) s++;
        int dash = evr.LastIndexOf('-');
        int se = dash >= s ? dash : -1;

        string? epoch = null;
        int versionStart = 0;
        if (s < evr.Length && evr[s] == ':')
        {
            epoch = s == 0 ? "0" : evr[..s];
            versionStart = s + 1;
        }
        return se >= 0
            ? (epoch, evr[versionStart..se], evr[(se + 1)..])
            : (epoch, evr[versionStart..], null);
    }

    private static int CompareValues(string? a, string? b) => (a, b) switch
    {
        (null, null) => 0,
        (not null, null) => 1,
        (null, not null) => -1,
        _ => Compare(a, b),
    };

    private static int RunEnd(ReadOnlySpan<char> s, int start, bool digits)
    {
        int end = start;
        while (end < s.Length && (digits ? IsDigit(s[end]) : IsAlpha(s[end]))) end++;
        return end;
    }

    private static ReadOnlySpan<char> UpToNul(string s)
    {
        int nul = s.IndexOf('\0');
        return nul < 0 ? s : s.AsSpan(0, nul);
    }

    private static char At(ReadOnlySpan<char> s, int i) => i < s.Length ? s[i] : '\0';

    // rpm's risalnum/risdigit/risalpha are ASCII-only, whatever the locale.
    private static bool IsSeparator(char c) => !IsDigit(c) && !IsAlpha(c) && c != '~' && c != '^';

    private static bool IsDigit(char c) => char.IsAsciiDigit(c);

    private static bool IsAlpha(char c) => char.IsAsciiLetter(c);

    private static bool IsAlphanumeric(char c) => IsDigit(c) || IsAlpha(c);
}
