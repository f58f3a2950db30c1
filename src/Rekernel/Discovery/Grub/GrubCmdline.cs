namespace Rekernel.Discovery.Grub;

/// <summary>
/// The command line GRUB hands the kernel for a <c>linux</c> line's arguments (grub-core/lib/cmdline.c):
/// arguments joined by single spaces, <c>\ ' "</c> escaped with a backslash, arguments holding a space put in
/// double quotes. GRUB's own <c>BOOT_IMAGE=</c> prefix is not included.
/// </summary>
internal static class GrubCmdline
{
    public static string Join(IEnumerable<string> args) => string.Join(' ', args.Select(Quote));

    private static string Quote(string arg)
    {
        var sb = new System.Text.StringBuilder(arg.Length + 2);
        bool space = arg.Contains(' ');
        if (space) sb.Append('"');
        foreach (char c in arg)
        {
            if (c is '\\' or '\'' or '"') sb.Append('\\');
            sb.Append(c);
        }
        if (space) sb.Append('"');
        return sb.ToString();
    }
}
