namespace Rekernel.Discovery.Bls;

/// <summary>
/// Boot counting as systemd-boot reads it from a file name: <c>NAME+LEFT[-DONE].conf</c>
/// (<c>boot_entry_parse_tries</c> in src/boot/boot.c). A missing DONE counts as 0.
/// </summary>
public readonly record struct BootCounter(int Left, int Done)
{
    /// <summary>
    /// The file name without its counter (<c>foo+3-1.conf</c> → <c>foo.conf</c>) and the counter, or the name
    /// unchanged and null when there is no well-formed counter right before <paramref name="suffix"/>.
    /// </summary>
    public static (string Name, BootCounter? Counter) Split(string fileName, string suffix)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        int plus = fileName.LastIndexOf('+');
        if (plus < 0) return (fileName, null);

        int p = plus + 1;
        if (Number(fileName, ref p) is not { } left) return (fileName, null);
        int done = 0;
        if (p < fileName.Length && fileName[p] == '-')
        {
            p++;
            if (Number(fileName, ref p) is not { } d) return (fileName, null);
            done = d;
        }
        if (!string.Equals(fileName[p..], suffix, StringComparison.OrdinalIgnoreCase)) return (fileName, null);
        return (fileName[..plus] + suffix, new BootCounter(left, done));
    }

    private static int? Number(string s, ref int p)
    {
        int start = p;
        long value = 0;
        while (p < s.Length && char.IsAsciiDigit(s[p]))
        {
            value = value * 10 + (s[p] - '0');
            if (value > int.MaxValue) return null;
            p++;
        }
        return p > start ? (int)value : null;
    }
}
