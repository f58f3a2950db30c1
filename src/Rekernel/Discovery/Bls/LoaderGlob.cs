namespace Rekernel.Discovery.Bls;

/// <summary>
/// systemd-boot's <c>efi_fnmatch</c>: <c>*</c>, <c>?</c>, <c>[abc]</c> sets with <c>a-z</c> ranges and
/// <c>\</c> escapes (no <c>[!…]</c> negation), matched after folding both sides to ASCII lower case as
/// systemd-boot folds patterns and entry ids.
/// </summary>
public static class LoaderGlob
{
    public static bool IsMatch(string pattern, string id)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(id);
        string p = Fold(pattern), h = Fold(id);
        int pi = 0, hi = 0, starP = -1, starH = -1;
        while (hi < h.Length)
        {
            if (pi < p.Length && p[pi] == '*')
            {
                while (pi < p.Length && p[pi] == '*') pi++;
                starP = pi;
                starH = hi;
                continue;
            }
            if (pi < p.Length && MatchOne(p, ref pi, h[hi]))
            {
                hi++;
                continue;
            }
            if (starP < 0) return false;
            // Let the last star swallow one more character and retry.
            pi = starP;
            hi = ++starH;
        }
        while (pi < p.Length && p[pi] == '*') pi++;
        return pi == p.Length;
    }

    /// <summary>Whether the pattern element at <paramref name="pi"/> matches <paramref name="c"/>; advances past it on a match.</summary>
    private static bool MatchOne(string p, ref int pi, char c)
    {
        switch (p[pi])
        {
            case '?':
                pi++;
                return true;
            case '\\':
                if (pi + 1 >= p.Length || p[pi + 1] != c) return false;
                pi += 2;
                return true;
            case '[':
                return MatchSet(p, ref pi, c);
            default:
                if (p[pi] != c) return false;
                pi++;
                return true;
        }
    }

    private static bool MatchSet(string p, ref int pi, char c)
    {
        int i = pi;
        bool first = true, canRange = true, match = false;
        for (; ; first = false)
        {
            i++;
            if (i >= p.Length) return false;
            if (p[i] == '\\')
            {
                i++;
                if (i >= p.Length) return false;
                if (p[i] == c) match = true;
                canRange = true;
                continue;
            }
            if (p[i] == ']' && !first) break;
            if (p[i] == '-' && canRange && !first && i + 1 < p.Length && p[i + 1] != ']')
            {
                char low = p[i - 1];
                i++;
                if (p[i] == '\\') i++;
                if (i >= p.Length) return false;
                if (low <= c && c <= p[i]) match = true;
                // Ranges cannot be chained: [a-c-f] is [-abcf].
                canRange = false;
                continue;
            }
            if (p[i] == c) match = true;
            canRange = true;
        }
        if (!match) return false;
        pi = i + 1;
        return true;
    }

    private static string Fold(string s) => string.Create(s.Length, s, static (span, src) =>
    {
        for (int i = 0; i < src.Length; i++) span[i] = src[i] is >= 'A' and <= 'Z' ? (char)(src[i] + 32) : src[i];
    });
}
