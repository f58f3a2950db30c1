namespace Rekernel.Discovery.Grub;

/// <summary>
/// The command line GRUB hands the kernel for a <c>linux</c> line's arguments (grub-core/lib/cmdline.c):
/// arguments joined by single spaces, <c>\ ' "</c> escaped with a backslash, arguments holding a space put in
/// double quotes; Fedora's and RHEL's GRUB pass <c>\xHH</c> through unescaped. GRUB's own <c>BOOT_IMAGE=</c>
/// prefix is not included.
/// </summary>
internal static class GrubCmdline
{
    // What Quote changes: an argument without any of these stands as it is.
    private static readonly System.Buffers.SearchValues<char> QuotedChars = System.Buffers.SearchValues.Create(" \\'\"");

    public static string Join(IEnumerable<string> args, GrubFlavor flavor) => string.Join(' ', args.Select(a => Quote(a, flavor)));

    /// <summary>Whether <paramref name="s"/> starts with <c>\x</c> and two hex digits.</summary>
    public static bool IsHexEscape(ReadOnlySpan<char> s) =>
        s.Length >= 4 && s[0] == '\\' && s[1] == 'x' && char.IsAsciiHexDigit(s[2]) && char.IsAsciiHexDigit(s[3]);

    private static string Quote(string arg, GrubFlavor flavor)
    {
        if (!arg.AsSpan().ContainsAny(QuotedChars)) return arg;
        var sb = new System.Text.StringBuilder(arg.Length + 2);
        bool space = arg.Contains(' ');
        if (space) sb.Append('"');
        for (int i = 0; i < arg.Length; i++)
        {
            if (flavor == GrubFlavor.RedHat && IsHexEscape(arg.AsSpan(i)))
            {
                sb.Append(arg, i, 4);
                i += 3;
                continue;
            }
            char c = arg[i];
            if (c is '\\' or '\'' or '"') sb.Append('\\');
            sb.Append(c);
        }
        if (space) sb.Append('"');
        return sb.ToString();
    }
}
